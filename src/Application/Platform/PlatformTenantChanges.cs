using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Application.Platform;

/// <summary>
/// An operator's change to one tenant's own row (its plan, its suspension). The platform role writes nothing but
/// audit records, so the change runs as that tenant's work (<see cref="ITenantJobRunner"/>: the application role, row-level
/// security bound to the tenant), after the audit record says who asked for what: no change without its record.
/// </summary>
public sealed class PlatformTenantChanges(IPlatformReadStore platform, ITenantJobRunner jobs)
{
    public async Task<TenantStateDto> ChangeAsync(Guid tenantId, string action, string details, Action<Tenant> change, CancellationToken cancellationToken)
    {
        if (!await platform.TenantExistsAsync(tenantId, cancellationToken))
            throw new NotFoundException(nameof(Tenant), tenantId);
        await platform.RecordAccessAsync([tenantId], action, details, cancellationToken);
        return await jobs.RunAsync(tenantId, async (services, token) =>
        {
            var tenants = services.GetRequiredService<IRepository<Tenant>>();
            var current = await tenants.LoadCurrentForChangeAsync(services.GetRequiredService<ITenantContext>(), null, token);
            change(current);
            await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(token);
            return TenantStateDto.From(current);
        }, cancellationToken);
    }
}

/// <summary>A tenant's standing as operators change it: its plan and whether (and why) it is suspended.</summary>
public sealed record TenantStateDto(Guid Id, string Name, string Slug, TenantStatus Status, string Plan, string? SuspensionReason, DateTimeOffset? SuspendedAt, int Version)
{
    public static TenantStateDto From(Tenant tenant) =>
        new(tenant.Id, tenant.Name, tenant.Slug, tenant.Status, tenant.PlanCode, tenant.SuspensionReason, tenant.SuspendedAt, tenant.Version);
}

public sealed class PlatformTenantServices : Common.IServiceModule
{
    public void Register(IServiceCollection services) => services.AddScoped<PlatformTenantChanges>();
}
