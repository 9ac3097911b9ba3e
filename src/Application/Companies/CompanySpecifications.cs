using CrmTenancy.Application.Common.Paging;
using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Companies;

namespace CrmTenancy.Application.Companies;

/// <summary>The tenant's companies by name (ties by id), optionally those whose name contains a text, one page.</summary>
public sealed class CompanyListSpecification : TenantSpecification<Company>, ISearchingSpecification
{
    public bool Searches { get; }

    public CompanyListSpecification(ITenantContext tenant, string? search, int page, int pageSize) : base(tenant)
    {
        Searches = !string.IsNullOrWhiteSpace(search);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = TextSearch.Pattern(search);
            Query.Where(c => TextSearch.Matches(c.Name, pattern));
        }
        Query.OrderBy(c => c.Name).ThenBy(c => c.Id).Page(page, pageSize).AsNoTracking();
    }
}
