using System.Text.Json.Serialization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Leads.UpdateLead;

/// <summary>Replaces the descriptive fields (a PUT): fields left out become empty.</summary>
public sealed record UpdateLead : LeadInput, ICommand<Unit>, IConditionalCommand, IReplacement
{
    /// <summary>From the route, never from the body.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>From the If-Match header, never from the body.</summary>
    [JsonIgnore]
    public int? ExpectedVersion { get; init; }
}

public sealed class UpdateLeadValidator : AbstractValidator<UpdateLead>
{
    public UpdateLeadValidator() => this.ApplyLeadInputRules();
}

public sealed class UpdateLeadHandler(IRepository<Lead> leads, ITenantContext tenant) : IRequestHandler<UpdateLead, Unit>
{
    public async Task<Unit> Handle(UpdateLead request, CancellationToken cancellationToken)
    {
        var lead = await leads.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        lead.Update(request.ToDetails(), request.Source);
        return Unit.Value;
    }
}
