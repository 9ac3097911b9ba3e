using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Customers.ListCustomers;

public sealed record ListCustomers(CustomerFilter Filter, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<CustomerDto>>, IPagedQuery;

public sealed class ListCustomersValidator : AbstractValidator<ListCustomers>
{
    public ListCustomersValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.Filter.Search).MaximumLength(TextSearch.MaxTermLength).OverridePropertyName("search");
        RuleFor(x => x.Filter.Tag!).ValidTag().When(x => x.Filter.Tag is not null).OverridePropertyName("tag");
        RuleFor(x => x.Filter.Status).IsInEnum().OverridePropertyName("status");
        RuleFor(x => x.Filter.Source).IsInEnum().OverridePropertyName("source");
        RuleFor(x => x.Filter.Sort).IsInEnum().OverridePropertyName("sort");
        RuleFor(x => x.Filter.Direction).IsInEnum().OverridePropertyName("direction");
    }
}

public sealed class ListCustomersHandler(IReadRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<ListCustomers, PagedResult<CustomerDto>>
{
    public Task<PagedResult<CustomerDto>> Handle(ListCustomers request, CancellationToken cancellationToken) =>
        customers.ProjectPageAsync<Customer, CustomerDto>(
            new CustomerListSpecification(tenant, request.Filter, request.Page, request.PageSize), cancellationToken);
}
