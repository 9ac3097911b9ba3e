using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Platform;
using CrmTenancy.Domain.Platform;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Platform operators' reads, on the platform role. Each query ignores the Tenant filter by name (there is no
/// tenant on this path) and PostgreSQL's platform_read policy is what lets the rows through; the role cannot
/// change tenant data, only append access records.
/// </summary>
public sealed class PlatformReadStore(DbContexts contexts, ICurrentUser user, TimeProvider clock) : IPlatformReadStore
{
    private static readonly string[] TenantFilter = [CrmDbContext.TenantFilter];

    public async Task<IReadOnlyList<TenantUsageDto>> ListTenantsAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Platform();
        return await db.Tenants.AsNoTracking()
            .OrderBy(t => t.Name).ThenBy(t => t.Id)
            .Select(t => new TenantUsageDto(
                t.Id, t.Name, t.Slug, t.Status, t.CreatedAt,
                db.Customers.IgnoreQueryFilters(TenantFilter).Count(c => c.TenantId == t.Id),
                db.Contacts.IgnoreQueryFilters(TenantFilter).Count(c => c.TenantId == t.Id),
                db.OAuthClients.Count(c => c.TenantId == t.Id && c.RevokedAt == null)))
            .ToListAsync(cancellationToken);
    }

    public async Task<bool> TenantExistsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Platform();
        return await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken);
    }

    public async Task<PagedResult<PlatformCustomerDto>> ListCustomersAsync(
        Guid? tenantId, string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var db = contexts.Platform();
        var customers = db.Customers.IgnoreQueryFilters(TenantFilter).AsNoTracking();
        if (tenantId is { } id)
            customers = customers.Where(c => c.TenantId == id);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = TextSearch.Pattern(search);
            // The customer's search text (name, email, company and its contacts' names and emails), which one trigram
            // index serves across tenants too.
            customers = customers.Where(c => TextSearch.MatchesLowerCase(c.SearchText, pattern));
        }
        var total = await customers.CountAsync(cancellationToken);
        var items = await customers
            .Join(db.Tenants, c => c.TenantId, t => t.Id, (c, t) => new { Customer = c, Tenant = t })
            .OrderBy(x => x.Tenant.Name).ThenBy(x => x.Customer.Name).ThenBy(x => x.Customer.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(x => new PlatformCustomerDto(
                x.Customer.Id, x.Customer.TenantId, x.Tenant.Name, x.Tenant.Slug, x.Customer.Name, x.Customer.Email,
                x.Customer.CompanyName, x.Customer.Status, x.Customer.OwnerId, x.Customer.AssigneeId, x.Customer.CreatedBy,
                x.Customer.CreatedAt))
            .ToListAsync(cancellationToken);
        return PagedResult<PlatformCustomerDto>.Counted(items, page, pageSize, total);
    }

    public async Task RecordAccessAsync(IReadOnlyCollection<Guid> tenantIds, string action, string? details, CancellationToken cancellationToken)
    {
        if (tenantIds.Count == 0)
            return;
        await using var db = contexts.Platform();
        var now = clock.GetUtcNow();
        var actor = user.Actor ?? "unknown";
        db.PlatformAccessRecords.AddRange(tenantIds.Select(t => PlatformAccessRecord.Create(t, actor, action, details, now)));
        await db.SaveChangesAsync(cancellationToken);
    }
}
