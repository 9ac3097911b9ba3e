using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Contacts.CreateContact;

public sealed record CreateContact : ContactInput, ICommand<Guid>
{
    /// <summary>A new contact is a prospect unless the caller says otherwise.</summary>
    public CreateContact() => Type = ContactType.Prospect;
}

public sealed class CreateContactValidator : AbstractValidator<CreateContact>
{
    public CreateContactValidator() => this.ApplyContactInputRules();
}

public sealed class CreateContactHandler(
    IRepository<Contact> contacts, IRepository<Customer> customers, ITenantContext tenant, ICurrentUser user)
    : IRequestHandler<CreateContact, Guid>
{
    public async Task<Guid> Handle(CreateContact request, CancellationToken cancellationToken)
    {
        await contacts.EnsureEmailFreeAsync(tenant, request.Email, exceptContactId: null, cancellationToken);
        var contact = Contact.Create(tenant.TenantId, request.ToDetails(), user.UserId);
        await contact.LinkAsync(request.CustomerId, customers, tenant, cancellationToken);
        contacts.Add(contact);
        return contact.Id;
    }
}
