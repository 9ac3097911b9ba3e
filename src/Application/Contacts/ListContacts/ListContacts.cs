using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Contacts;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Contacts.ListContacts;

public sealed record ListContacts(ContactFilter Filter, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<ContactDto>>;

public sealed class ListContactsValidator : AbstractValidator<ListContacts>
{
    public ListContactsValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, Paging.MaxPage);
        RuleFor(x => x.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
        RuleFor(x => x.Filter.Search).MaximumLength(TextSearch.MaxTermLength).OverridePropertyName("search");
        RuleFor(x => x.Filter.Type).IsInEnum().OverridePropertyName("type");
    }
}

public sealed class ListContactsHandler(IReadRepository<Contact> contacts, ITenantContext tenant)
    : IRequestHandler<ListContacts, PagedResult<ContactDto>>
{
    public Task<PagedResult<ContactDto>> Handle(ListContacts request, CancellationToken cancellationToken) =>
        contacts.ProjectPageAsync<Contact, ContactDto>(
            new ContactListSpecification(tenant, request.Filter, request.Page, request.PageSize), cancellationToken);
}
