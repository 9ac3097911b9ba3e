using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Contexts on the roles other than the application's: the platform role and the owner (migrations and seeding,
/// outside any request). The platform role is the explicit cross-tenant read path: PostgreSQL lets it read every
/// tenant's rows and write nothing but platform access records; no tenant is resolved on its contexts, so code that
/// uses one must ignore the Tenant query filter by name, and says so by taking this type.
/// </summary>
public sealed class DbContexts(DatabaseConnections connections, TimeProvider clock)
{
    private readonly DbContextOptions<CrmDbContext> _owner =
        new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres(connections.Owner)
            .AddInterceptors(new TenantAuditInterceptor(clock), TenantConnectionInterceptor.Instance).Options;

    // No tenant: the interceptor sets app.tenant_id to empty, and replaces a pooled connection the server dropped.
    // Pooled, as the application role's are: a new context costs its own service scope, which was an eighth of the
    // token endpoint's CPU (it reads the client on a platform context for every token). Disposing gives it back unbound.
    private readonly PooledDbContextFactory<CrmDbContext> _platform = new(
        new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres(connections.Platform)
            .AddInterceptors(TenantConnectionInterceptor.Instance).Options);

    // The application role outside a request, for reads that check its isolation (the operators' isolation self-test).
    private readonly DbContextOptions<CrmDbContext> _application =
        new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres(connections.App).AddInterceptors(TenantConnectionInterceptor.Instance).Options;

    /// <summary>A context on the platform role: no tenant is resolved, so the Tenant filter must be ignored explicitly.</summary>
    public CrmDbContext Platform() => _platform.CreateDbContext();

    /// <summary>A context on the owner role for one tenant (or none), with the same write checks as a request.</summary>
    public CrmDbContext Owner(TenantContext tenant, ICurrentUser actor) => new CrmDbContext(_owner).Bind(tenant, actor);

    /// <summary>A context on the application role bound to one tenant, as a request's is, for work outside a request.</summary>
    public CrmDbContext Application(TenantContext tenant) => new CrmDbContext(_application).Bind(tenant, SystemActor.Instance);
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
