using Microsoft.EntityFrameworkCore.Migrations;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// The third isolation lock for a new tenant table in one call (docs/decisions/0014): the application role may read
/// and write it, PostgreSQL row-level security (forced, so even the table owner's sessions obey it) keeps every
/// row to the tenant set on the connection, and the platform role may read across tenants when the data is part of
/// what operators oversee. The schema test (tests/IntegrationTests) proves every table with a tenant_id has it.
/// </summary>
public static class TenantIsolationMigrations
{
    /// <summary>Use in a migration's <c>Up</c>, after the table is created: <c>migrationBuilder.EnableTenantIsolation("leads");</c></summary>
    public static void EnableTenantIsolation(this MigrationBuilder migrationBuilder, string table, bool platformReads = true)
    {
        migrationBuilder.Sql($"""
            GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {DatabaseConnections.AppRole};
            ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
            ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON {table}
                USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
            """);
        if (platformReads)
        {
            migrationBuilder.Sql($"""
                GRANT SELECT ON {table} TO {DatabaseConnections.PlatformRole};
                CREATE POLICY platform_read ON {table} FOR SELECT TO {DatabaseConnections.PlatformRole} USING (true);
                """);
        }
    }

    /// <summary>
    /// Narrows the platform role's read of a table to some of its columns (PostgreSQL column privileges): the role keeps
    /// its <c>platform_read</c> policy, but a statement naming any other column is refused. For tables whose rows the
    /// platform must find (which tenants have due work, what operators troubleshoot) but whose secrets and message
    /// bodies it has no business reading.
    /// </summary>
    public static void LimitPlatformReads(this MigrationBuilder migrationBuilder, string table, params string[] columns) =>
        migrationBuilder.Sql($"""
            REVOKE SELECT ON {table} FROM {DatabaseConnections.PlatformRole};
            GRANT SELECT ({string.Join(", ", columns)}) ON {table} TO {DatabaseConnections.PlatformRole};
            """);

    /// <summary>The reverse of <see cref="LimitPlatformReads"/>: the platform role reads every column again.</summary>
    public static void RestorePlatformReads(this MigrationBuilder migrationBuilder, string table, params string[] columns) =>
        migrationBuilder.Sql($"""
            REVOKE SELECT ({string.Join(", ", columns)}) ON {table} FROM {DatabaseConnections.PlatformRole};
            GRANT SELECT ON {table} TO {DatabaseConnections.PlatformRole};
            """);

    /// <summary>The reverse of <see cref="EnableTenantIsolation"/>, for a migration's <c>Down</c> (before the table is dropped).</summary>
    public static void DisableTenantIsolation(this MigrationBuilder migrationBuilder, string table) =>
        migrationBuilder.Sql($"""
            DROP POLICY IF EXISTS platform_read ON {table};
            DROP POLICY IF EXISTS tenant_isolation ON {table};
            ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
            ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
            """);
}
