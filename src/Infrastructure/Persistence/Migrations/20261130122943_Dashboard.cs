using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Dashboard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_leads_tenant_id_captured_at",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_activities_tenant_id_record_type_record_id_occurred_at",
                table: "activities");

            migrationBuilder.AddColumn<short>(
                name: "furthest_stage",
                table: "leads",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            // Existing leads reached their present stage, or the furthest one their timeline's status moves name (the
            // activities exist from the migration before this one); a lost lead without such history counts as New.
            migrationBuilder.Sql("""
                ALTER TABLE leads NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE activities NO FORCE ROW LEVEL SECURITY;
                UPDATE leads l SET furthest_stage = greatest(
                    CASE l.status WHEN 'Nurturing' THEN 1 WHEN 'Engaged' THEN 2 WHEN 'Qualified' THEN 3 WHEN 'Converted' THEN 4 ELSE 0 END,
                    coalesce((SELECT max(CASE a.to_value WHEN 'Nurturing' THEN 1 WHEN 'Engaged' THEN 2 WHEN 'Qualified' THEN 3 WHEN 'Converted' THEN 4 ELSE 0 END)
                              FROM activities a
                              WHERE a.tenant_id = l.tenant_id AND a.record_id = l.id AND a.action = 'statusChanged'), 0));
                ALTER TABLE activities FORCE ROW LEVEL SECURITY;
                ALTER TABLE leads FORCE ROW LEVEL SECURITY;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_leads_tenant_id_captured_at",
                table: "leads",
                columns: new[] { "tenant_id", "captured_at" })
                .Annotation("Npgsql:IndexInclude", new[] { "furthest_stage" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_tenant_id_status_source_revenue",
                table: "customers",
                columns: new[] { "tenant_id", "status", "source" })
                .Annotation("Npgsql:IndexInclude", new[] { "total_revenue" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_tenant_id_total_revenue_id",
                table: "customers",
                columns: new[] { "tenant_id", "total_revenue", "id" },
                descending: new[] { false, true, false });

            migrationBuilder.CreateIndex(
                name: "ix_activities_tenant_id_assignee_id",
                table: "activities",
                columns: new[] { "tenant_id", "assignee_id" });

            migrationBuilder.CreateIndex(
                name: "ix_activities_tenant_id_owner_id",
                table: "activities",
                columns: new[] { "tenant_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_activities_tenant_id_record_id_occurred_at",
                table: "activities",
                columns: new[] { "tenant_id", "record_id", "occurred_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_leads_tenant_id_captured_at",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_customers_tenant_id_status_source_revenue",
                table: "customers");

            migrationBuilder.DropIndex(
                name: "ix_customers_tenant_id_total_revenue_id",
                table: "customers");

            migrationBuilder.DropIndex(
                name: "ix_activities_tenant_id_assignee_id",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_tenant_id_owner_id",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_tenant_id_record_id_occurred_at",
                table: "activities");

            migrationBuilder.DropColumn(
                name: "furthest_stage",
                table: "leads");

            migrationBuilder.CreateIndex(
                name: "ix_leads_tenant_id_captured_at",
                table: "leads",
                columns: new[] { "tenant_id", "captured_at" });

            migrationBuilder.CreateIndex(
                name: "ix_activities_tenant_id_record_type_record_id_occurred_at",
                table: "activities",
                columns: new[] { "tenant_id", "record_type", "record_id", "occurred_at" });
        }
    }
}
