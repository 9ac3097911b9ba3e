using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using MediatR;

namespace CrmTenancy.Application.Contacts.SetPrimaryContact;

/// <summary>
/// Makes the contact its customer's primary contact; the previous primary, if any, stops being one. The customer's row
/// is locked first: two of these for one customer run one after the other, each reading the primary the other left
/// (without it they deadlocked on the deferred one-primary constraint, and a race could leave no primary at all).
/// </summary>
public sealed record SetPrimaryContact(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class SetPrimaryContactHandler(IRepository<Contact> contacts, IRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<SetPrimaryContact, Unit>
{
    public async Task<Unit> Handle(SetPrimaryContact request, CancellationToken cancellationToken)
    {
        var seen = await contacts.FirstOrDefaultAsync(new ReadByIdSpecification<Contact>(tenant, request.Id), cancellationToken)
                   ?? throw new NotFoundException(nameof(Contact), request.Id);
        if (seen.CustomerId is { } customerId)
            await customers.LockAsync(customerId, cancellationToken);
        // Read again under the lock: what the previous holder of the lock committed.
        var contact = await contacts.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        contact.MakePrimary();
        var current = await contacts.ListAsync(
            new ContactsOfCustomerSpecification(tenant, contact.CustomerId!.Value, primaryOnly: true), cancellationToken);
        foreach (var previous in current.Where(c => c.Id != contact.Id))
            previous.ClearPrimary();
        return Unit.Value;
    }
}
