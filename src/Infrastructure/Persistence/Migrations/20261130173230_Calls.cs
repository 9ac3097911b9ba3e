using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Calls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_contacted_at",
                table: "contacts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "calls",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: true),
                    target_id = table.Column<Guid>(type: "uuid", nullable: true),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: true),
                    direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scheduled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    duration_seconds = table.Column<int>(type: "integer", nullable: true),
                    outcome = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    recording_url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    assignee_id = table.Column<Guid>(type: "uuid", nullable: true),
                    shared = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_calls", x => x.id);
                    table.UniqueConstraint("ak_calls_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_calls_campaigns_tenant_id_campaign_id",
                        columns: x => new { x.tenant_id, x.campaign_id },
                        principalTable: "campaigns",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_calls_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_calls_tenant_id_campaign_id_scheduled_at",
                table: "calls",
                columns: new[] { "tenant_id", "campaign_id", "scheduled_at" });

            migrationBuilder.CreateIndex(
                name: "ix_calls_tenant_id_contact_id_scheduled_at",
                table: "calls",
                columns: new[] { "tenant_id", "contact_id", "scheduled_at" });

            migrationBuilder.CreateIndex(
                name: "ix_calls_tenant_id_lead_id_scheduled_at",
                table: "calls",
                columns: new[] { "tenant_id", "lead_id", "scheduled_at" });

            migrationBuilder.CreateIndex(
                name: "ix_calls_tenant_id_owner_id",
                table: "calls",
                columns: new[] { "tenant_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_calls_tenant_id_scheduled_at_id",
                table: "calls",
                columns: new[] { "tenant_id", "scheduled_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_calls_tenant_id_status",
                table: "calls",
                columns: new[] { "tenant_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_calls_tenant_id_target_id",
                table: "calls",
                columns: new[] { "tenant_id", "target_id" });

            // The person and the target a call was with, of the same tenant; deleting one clears the link and nothing
            // else (PostgreSQL 15's column list), so the call's history and the campaign's statistics stay.
            // Checked at commit: EF Core does not know these keys, so it may insert the referring row first.
            migrationBuilder.Sql("""
                ALTER TABLE calls ADD CONSTRAINT fk_calls_contacts
                    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE SET NULL (contact_id) DEFERRABLE INITIALLY DEFERRED;
                ALTER TABLE calls ADD CONSTRAINT fk_calls_leads
                    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE SET NULL (lead_id) DEFERRABLE INITIALLY DEFERRED;
                ALTER TABLE calls ADD CONSTRAINT fk_calls_campaign_targets
                    FOREIGN KEY (tenant_id, target_id) REFERENCES campaign_targets (tenant_id, id) ON DELETE SET NULL (target_id) DEFERRABLE INITIALLY DEFERRED;
                """);
            migrationBuilder.EnableTenantIsolation("calls");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantIsolation("calls");
            migrationBuilder.DropTable(
                name: "calls");

            migrationBuilder.DropColumn(
                name: "last_contacted_at",
                table: "contacts");
        }
    }
}
