using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Leads.MoveLead;

/// <summary>Moves a lead in the pipeline; Lost takes a reason (the domain decides which moves are allowed).</summary>
public sealed record MoveLead(Guid Id, LeadStatus Status, string? LostReason, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class MoveLeadValidator : AbstractValidator<MoveLead>
{
    public MoveLeadValidator()
    {
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.LostReason).MaximumLength(Lead.LostReasonMaxLength);
    }
}

public sealed class MoveLeadHandler(IRepository<Lead> leads, ITenantContext tenant) : IRequestHandler<MoveLead, Unit>
{
    public async Task<Unit> Handle(MoveLead request, CancellationToken cancellationToken)
    {
        var lead = await leads.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        lead.MoveTo(request.Status, request.LostReason);
        return Unit.Value;
    }
}
