namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// The explicit cross-tenant read path. Its contexts connect as the platform role, which PostgreSQL lets read every
/// tenant's rows and write nothing but platform access records; no tenant is resolved on them. Code that uses it
/// says so by taking this type, and must ignore the Tenant query filter by name.
/// </summary>
public sealed class PlatformDb(DbContexts contexts)
{
    public CrmDbContext Open() => contexts.Platform();
}
