using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Leads.CreateLead;

public sealed record CreateLead : LeadInput, ICommand<Guid>
{
    /// <summary>Tags to start with, normalised like any other.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

public sealed class CreateLeadValidator : AbstractValidator<CreateLead>
{
    public CreateLeadValidator()
    {
        this.ApplyLeadInputRules();
        this.ApplyStartingTagRules(x => x.Tags);
    }
}

public sealed class CreateLeadHandler(IRepository<Lead> leads, ITenantContext tenant, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<CreateLead, Guid>
{
    public Task<Guid> Handle(CreateLead request, CancellationToken cancellationToken)
    {
        var lead = Lead.Create(tenant.TenantId, request.ToDetails(), request.Source, user.UserId, clock.GetUtcNow());
        if (request.Tags is { Count: > 0 } tags)
            lead.AddTags(tags);
        leads.Add(lead);
        return Task.FromResult(lead.Id);
    }
}
