using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Privacy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "erasures",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    records = table.Column<string>(type: "jsonb", nullable: false),
                    platform_tags_removed = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_erasures", x => x.id);
                    table.UniqueConstraint("ak_erasures_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_erasures_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "tenant_exports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: true),
                    tables = table.Column<int>(type: "integer", nullable: true),
                    rows = table.Column<long>(type: "bigint", nullable: true),
                    failure = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant_exports", x => x.id);
                    table.UniqueConstraint("ak_tenant_exports_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_tenant_exports_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_erasures_tenant_id_subject_hash",
                table: "erasures",
                columns: new[] { "tenant_id", "subject_hash" });

            migrationBuilder.CreateIndex(
                name: "ix_tenant_exports_tenant_id_created_at",
                table: "tenant_exports",
                columns: new[] { "tenant_id", "created_at" });

            // The archive, read and written only by SQL (TenantExportProducer, ExportArchives): never loaded with the row.
            migrationBuilder.Sql("ALTER TABLE tenant_exports ADD COLUMN content bytea NULL;");
            // Tenant data under the three locks; operators have no business reading either table.
            migrationBuilder.EnableTenantIsolation("tenant_exports", platformReads: false);
            migrationBuilder.EnableTenantIsolation("erasures", platformReads: false);
            // Messages stay as they were said, with one exception: an erasure overwrites a person's words. The application
            // role may rewrite a message's text and nothing else of it.
            migrationBuilder.Sql($"GRANT UPDATE (text) ON conversation_messages TO {DatabaseConnections.AppRole};");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"REVOKE UPDATE (text) ON conversation_messages FROM {DatabaseConnections.AppRole};");
            migrationBuilder.DisableTenantIsolation("erasures");
            migrationBuilder.DisableTenantIsolation("tenant_exports");

            migrationBuilder.DropTable(
                name: "erasures");

            migrationBuilder.DropTable(
                name: "tenant_exports");
        }
    }
}
