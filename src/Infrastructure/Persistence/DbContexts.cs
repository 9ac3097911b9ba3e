using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Contexts on the roles other than the application's: the platform role and the owner (migrations and seeding,
/// outside any request). The platform role is the explicit cross-tenant read path: PostgreSQL lets it read every
/// tenant's rows and write nothing but platform access records; no tenant is resolved on its contexts, so code that
/// uses one must ignore the Tenant query filter by name, and says so by taking this type.
/// </summary>
public sealed class DbContexts(DatabaseConnections connections, TimeProvider clock)
{
    // No tenant: the interceptor sets app.tenant_id to empty, and replaces a pooled connection the server dropped.
    private readonly DbContextOptions<CrmDbContext> _platform =
        new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres(connections.Platform)
            .AddInterceptors(TenantConnectionInterceptor.Instance).Options;

    private readonly DbContextOptions<CrmDbContext> _owner =
        new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres(connections.Owner)
            .AddInterceptors(new TenantAuditInterceptor(clock), TenantConnectionInterceptor.Instance).Options;

    /// <summary>A context on the platform role: no tenant is resolved, so the Tenant filter must be ignored explicitly.</summary>
    public CrmDbContext Platform() => new(_platform);

    /// <summary>A context on the owner role for one tenant (or none), with the same write checks as a request.</summary>
    public CrmDbContext Owner(TenantContext tenant, ICurrentUser actor) => new CrmDbContext(_owner).Bind(tenant, actor);
}

/// <summary>The caller of work that no person or client started (migrations, seeding).</summary>
public sealed class SystemActor : ICurrentUser
{
    public static readonly SystemActor Instance = new();

    public Guid? UserId => null;
    public string? ClientId => null;
    public string? Actor => "system";
    public IReadOnlySet<string> Scopes { get; } = new HashSet<string>();
    public IReadOnlySet<string> Roles { get; } = new HashSet<string>();
}
