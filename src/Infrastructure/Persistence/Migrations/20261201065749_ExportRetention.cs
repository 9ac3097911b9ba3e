using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Archives past their expiry are deleted by a periodic job (ExportRetentionService): the platform role may now find
    /// the tenants that have one, reading the tenant, state and expiry of exports and no other column (never the archive),
    /// through a partial index of the ready ones.
    /// </summary>
    public partial class ExportRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE POLICY platform_read ON tenant_exports FOR SELECT TO {DatabaseConnections.PlatformRole} USING (true);
                GRANT SELECT (tenant_id, state, expires_at) ON tenant_exports TO {DatabaseConnections.PlatformRole};
                CREATE INDEX ix_tenant_exports_ready_expires_at ON tenant_exports (expires_at) WHERE state = 'Ready';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DROP INDEX IF EXISTS ix_tenant_exports_ready_expires_at;
                REVOKE SELECT (tenant_id, state, expires_at) ON tenant_exports FROM {DatabaseConnections.PlatformRole};
                DROP POLICY IF EXISTS platform_read ON tenant_exports;
                """);
        }
    }
}
