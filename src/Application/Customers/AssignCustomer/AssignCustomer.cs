using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Customers.AssignCustomer;

/// <summary>Assigns the customer to a user of the tenant, or unassigns it (no assignee).</summary>
public sealed record AssignCustomer(Guid Id, Guid? AssigneeId, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class AssignCustomerValidator : AbstractValidator<AssignCustomer>
{
    public AssignCustomerValidator() => RuleFor(x => x.AssigneeId).NotEqual(Guid.Empty);
}

public sealed class AssignCustomerHandler(IRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<AssignCustomer, Unit>
{
    public async Task<Unit> Handle(AssignCustomer request, CancellationToken cancellationToken)
    {
        var customer = await customers.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        customer.AssignTo(request.AssigneeId);
        return Unit.Value;
    }
}
