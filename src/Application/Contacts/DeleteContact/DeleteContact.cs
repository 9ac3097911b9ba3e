using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Contacts;
using MediatR;

namespace CrmTenancy.Application.Contacts.DeleteContact;

public sealed record DeleteContact(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class DeleteContactHandler(IRepository<Contact> contacts, ITenantContext tenant) : IRequestHandler<DeleteContact, Unit>
{
    public async Task<Unit> Handle(DeleteContact request, CancellationToken cancellationToken)
    {
        var contact = await contacts.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        contact.MarkDeleted();
        contacts.Remove(contact);
        return Unit.Value;
    }
}
