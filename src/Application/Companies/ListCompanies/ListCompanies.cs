using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Companies;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Companies.ListCompanies;

public sealed record ListCompanies(string? Search = null, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<CompanyDto>>, IPagedQuery;

public sealed class ListCompaniesValidator : AbstractValidator<ListCompanies>
{
    public ListCompaniesValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.Search).MaximumLength(TextSearch.MaxTermLength);
    }
}

public sealed class ListCompaniesHandler(IReadRepository<Company> companies, ITenantContext tenant) : IRequestHandler<ListCompanies, PagedResult<CompanyDto>>
{
    public Task<PagedResult<CompanyDto>> Handle(ListCompanies request, CancellationToken cancellationToken) =>
        companies.ProjectPageAsync<Company, CompanyDto>(new CompanyListSpecification(tenant, request.Search, request.Page, request.PageSize), cancellationToken);
}
