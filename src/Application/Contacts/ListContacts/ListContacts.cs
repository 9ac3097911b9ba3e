using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Contacts;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Contacts.ListContacts;

public sealed record ListContacts(ContactFilter Filter, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<ContactDto>>, IPagedQuery;

public sealed class ListContactsValidator : AbstractValidator<ListContacts>
{
    public ListContactsValidator()
    {
        this.ApplyPagingRules();
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
