using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Contacts;
using MediatR;

namespace CrmTenancy.Application.Contacts.GetContact;

public sealed record GetContact(Guid Id) : IGetById<Contact, ContactDto>;

public sealed class GetContactHandler(IReadRepository<Contact> contacts, ITenantContext tenant) : IRequestHandler<GetContact, ContactDto>
{
    public Task<ContactDto> Handle(GetContact request, CancellationToken cancellationToken) =>
        contacts.GetDtoAsync<Contact, ContactDto>(tenant, request.Id, cancellationToken);
}
