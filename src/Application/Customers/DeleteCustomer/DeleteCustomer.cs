using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using MediatR;

namespace CrmTenancy.Application.Customers.DeleteCustomer;

/// <summary>Deletes a customer; its contacts stay, unlinked (they are people the tenant still knows).</summary>
public sealed record DeleteCustomer(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class DeleteCustomerHandler(IRepository<Customer> customers, IRepository<Contact> contacts, ITenantContext tenant)
    : IRequestHandler<DeleteCustomer, Unit>
{
    public async Task<Unit> Handle(DeleteCustomer request, CancellationToken cancellationToken)
    {
        var customer = await customers.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        foreach (var contact in await contacts.ListAsync(new ContactsOfCustomerSpecification(tenant, customer.Id), cancellationToken))
            contact.Unlink();
        customer.MarkDeleted();
        customers.Remove(customer);
        return Unit.Value;
    }
}
