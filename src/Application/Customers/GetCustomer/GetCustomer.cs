using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using MediatR;

namespace CrmTenancy.Application.Customers.GetCustomer;

public sealed record GetCustomer(Guid Id) : IGetById<Customer, CustomerDto>;

public sealed class GetCustomerHandler(IReadRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<GetCustomer, CustomerDto>
{
    public Task<CustomerDto> Handle(GetCustomer request, CancellationToken cancellationToken) =>
        customers.GetDtoAsync<Customer, CustomerDto>(tenant, request.Id, cancellationToken);
}
