using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RowLevelSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "tenant_id",
                table: "oauth_clients",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.CreateTable(
                name: "platform_access_records",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    action = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    details = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_platform_access_records", x => x.id);
                    table.UniqueConstraint("ak_platform_access_records_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_platform_access_records_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_platform_access_records_tenant_id_at",
                table: "platform_access_records",
                columns: new[] { "tenant_id", "at" });

            // The third isolation lock (docs/decisions/0014): PostgreSQL itself refuses another tenant's rows.
            // crm_app owns no table, so the policies bind it; crm_platform reads across tenants and writes only
            // platform access records. Roles are cluster-wide, hence created only when absent.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_app') THEN
                        CREATE ROLE crm_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                    END IF;
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_platform') THEN
                        CREATE ROLE crm_platform LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                    END IF;
                END
                $$;

                CREATE FUNCTION app_current_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS
                    $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

                GRANT USAGE ON SCHEMA public TO crm_app, crm_platform;
                GRANT EXECUTE ON FUNCTION app_current_tenant() TO crm_app, crm_platform;
                GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, customers, contacts, oauth_clients, signing_keys TO crm_app;
                GRANT SELECT ON platform_access_records TO crm_app;
                GRANT SELECT ON tenants, customers, contacts, oauth_clients, platform_access_records TO crm_platform;
                GRANT INSERT ON platform_access_records TO crm_platform;

                ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
                ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
                CREATE POLICY tenant_isolation ON tenants
                    USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());
                CREATE POLICY platform_read ON tenants FOR SELECT TO crm_platform USING (true);
                """);

            foreach (var table in new[] { "customers", "contacts", "oauth_clients", "platform_access_records" })
            {
                migrationBuilder.Sql($"""
                    ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
                    ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
                    CREATE POLICY tenant_isolation ON {table}
                        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
                    CREATE POLICY platform_read ON {table} FOR SELECT TO crm_platform USING (true);
                    """);
            }
            migrationBuilder.Sql("CREATE POLICY platform_audit_write ON platform_access_records FOR INSERT TO crm_platform WITH CHECK (true);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "tenants", "customers", "contacts", "oauth_clients", "platform_access_records" })
            {
                migrationBuilder.Sql($"""
                    DROP POLICY IF EXISTS tenant_isolation ON {table};
                    DROP POLICY IF EXISTS platform_read ON {table};
                    ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
                    ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
                    """);
            }
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS app_current_tenant();");

            migrationBuilder.DropTable(
                name: "platform_access_records");

            migrationBuilder.AlterColumn<Guid>(
                name: "tenant_id",
                table: "oauth_clients",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
