using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Companies;

namespace CrmTenancy.Application.Companies;

/// <summary>The tenant's companies by name (ties by id), optionally those whose name contains a text, one page.</summary>
public sealed class CompanyListSpecification : TenantSpecification<Company>
{
    public CompanyListSpecification(ITenantContext tenant, string? search, int page, int pageSize) : base(tenant)
    {
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = TextSearch.Pattern(search);
            Query.Where(c => TextSearch.Matches(c.Name, pattern));
        }
        Query.OrderBy(c => c.Name).ThenBy(c => c.Id).Page(page, pageSize).AsNoTracking();
    }
}

public static class CompanyReferences
{
    /// <summary>
    /// Refuses a company id that is not one of the caller's tenant's companies as a 404, like any id; none is fine. Used
    /// by the modules whose records belong to a company (customers, leads).
    /// </summary>
    public static async Task EnsureCompanyAsync(this IReadRepository<Company> companies, ITenantContext tenant, Guid? companyId, CancellationToken cancellationToken)
    {
        if (companyId is { } id && !await companies.AnyAsync(new ReadByIdSpecification<Company>(tenant, id), cancellationToken))
            throw new NotFoundException(nameof(Company), id);
    }
}
