using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Users;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Users;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace CrmTenancy.Application.Leads.AssignLead;

/// <summary>Assigns the lead to a user of the tenant, or unassigns it (no assignee).</summary>
public sealed record AssignLead(Guid Id, Guid? AssigneeId, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class AssignLeadValidator : AbstractValidator<AssignLead>
{
    public AssignLeadValidator() => RuleFor(x => x.AssigneeId).NotEqual(Guid.Empty);
}

public sealed class AssignLeadHandler(IRepository<Lead> leads, IReadRepository<User> users, ITenantContext tenant)
    : IRequestHandler<AssignLead, Unit>
{
    public async Task<Unit> Handle(AssignLead request, CancellationToken cancellationToken)
    {
        // Another tenant's user id, a deactivated user and an unknown id all answer alike.
        if (request.AssigneeId is { } assignee && !await users.AnyAsync(new ActiveUserSpecification(tenant, assignee), cancellationToken))
            throw new ValidationException([new ValidationFailure("assigneeId", "The assignee is not an active user of this tenant.")]);
        var lead = await leads.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        lead.AssignTo(request.AssigneeId);
        return Unit.Value;
    }
}
