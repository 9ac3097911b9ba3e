using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Application.Users;
using CrmTenancy.Domain.Users;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace CrmTenancy.Application.Customers.AssignCustomer;

/// <summary>Assigns the customer to a user of the tenant, or unassigns it (no assignee).</summary>
public sealed record AssignCustomer(Guid Id, Guid? AssigneeId, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class AssignCustomerValidator : AbstractValidator<AssignCustomer>
{
    public AssignCustomerValidator() => RuleFor(x => x.AssigneeId).NotEqual(Guid.Empty);
}

public sealed class AssignCustomerHandler(IRepository<Customer> customers, IReadRepository<User> users, ITenantContext tenant)
    : IRequestHandler<AssignCustomer, Unit>
{
    public async Task<Unit> Handle(AssignCustomer request, CancellationToken cancellationToken)
    {
        // Another tenant's user id, a deactivated user and an unknown id all answer alike.
        if (request.AssigneeId is { } assignee && !await users.AnyAsync(new ActiveUserSpecification(tenant, assignee), cancellationToken))
            throw new ValidationException([new ValidationFailure("assigneeId", "The assignee is not an active user of this tenant.")]);
        var customer = await customers.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        customer.AssignTo(request.AssigneeId);
        return Unit.Value;
    }
}
