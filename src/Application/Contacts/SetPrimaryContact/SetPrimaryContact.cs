using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Contacts;
using MediatR;

namespace CrmTenancy.Application.Contacts.SetPrimaryContact;

/// <summary>Makes the contact its customer's primary contact; the previous primary, if any, stops being one.</summary>
public sealed record SetPrimaryContact(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class SetPrimaryContactHandler(IRepository<Contact> contacts, ITenantContext tenant)
    : IRequestHandler<SetPrimaryContact, Unit>
{
    public async Task<Unit> Handle(SetPrimaryContact request, CancellationToken cancellationToken)
    {
        var contact = await contacts.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        contact.MakePrimary();
        var current = await contacts.ListAsync(
            new ContactsOfCustomerSpecification(tenant, contact.CustomerId!.Value, primaryOnly: true), cancellationToken);
        foreach (var previous in current.Where(c => c.Id != contact.Id))
            previous.ClearPrimary();
        return Unit.Value;
    }
}
