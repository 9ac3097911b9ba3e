using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EmailTemplates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "tag_prefix",
                table: "tenants",
                type: "character varying(12)",
                maxLength: 12,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "email_templates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    normalized_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    html_body = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: false),
                    text_body = table.Column<string>(type: "character varying(50000)", maxLength: 50000, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_templates", x => x.id);
                    table.UniqueConstraint("ak_email_templates_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_email_templates_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            // Existing tenants get their prefix (TagPrefix: "ct-", 8 random base-36 characters, "-"): a subquery that
            // names the row, so it runs per tenant; every tenant's row, so the owner lifts its forced row security.
            migrationBuilder.Sql("""
                ALTER TABLE tenants NO FORCE ROW LEVEL SECURITY;
                UPDATE tenants t SET tag_prefix = 'ct-' || (
                    SELECT string_agg(substr('0123456789abcdefghijklmnopqrstuvwxyz', 1 + floor(random() * 36)::int, 1), '')
                    FROM generate_series(1, 8) WHERE t.id IS NOT NULL) || '-';
                ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
                ALTER TABLE tenants ALTER COLUMN tag_prefix DROP DEFAULT;
                CREATE FUNCTION tenants_tag_prefix_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'a tenant''s tag prefix never changes' USING ERRCODE = 'check_violation';
                END $$;
                CREATE TRIGGER tenants_tag_prefix_immutable BEFORE UPDATE OF tag_prefix ON tenants
                    FOR EACH ROW WHEN (OLD.tag_prefix IS DISTINCT FROM NEW.tag_prefix) EXECUTE FUNCTION tenants_tag_prefix_immutable();
                """);

            migrationBuilder.CreateIndex(
                name: "ix_tenants_tag_prefix",
                table: "tenants",
                column: "tag_prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_email_templates_tenant_id_normalized_name",
                table: "email_templates",
                columns: new[] { "tenant_id", "normalized_name" },
                unique: true);

            migrationBuilder.EnableTenantIsolation("email_templates");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantIsolation("email_templates");
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS tenants_tag_prefix_immutable ON tenants;
                DROP FUNCTION IF EXISTS tenants_tag_prefix_immutable();
                """);
            migrationBuilder.DropTable(
                name: "email_templates");

            migrationBuilder.DropIndex(
                name: "ix_tenants_tag_prefix",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "tag_prefix",
                table: "tenants");
        }
    }
}
