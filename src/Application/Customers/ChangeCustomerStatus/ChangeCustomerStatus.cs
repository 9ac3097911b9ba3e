using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Customers.ChangeCustomerStatus;

public sealed record ChangeCustomerStatus(Guid Id, CustomerStatus Status, int? ExpectedVersion = null)
    : ICommand<Unit>, IConditionalCommand;

public sealed class ChangeCustomerStatusValidator : AbstractValidator<ChangeCustomerStatus>
{
    public ChangeCustomerStatusValidator() => RuleFor(x => x.Status).IsInEnum();
}

public sealed class ChangeCustomerStatusHandler(IRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<ChangeCustomerStatus, Unit>
{
    public async Task<Unit> Handle(ChangeCustomerStatus request, CancellationToken cancellationToken)
    {
        var customer = await customers.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        customer.ChangeStatus(request.Status);
        return Unit.Value;
    }
}
