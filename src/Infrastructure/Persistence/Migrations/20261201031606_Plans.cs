using System;
using CrmTenancy.Domain.Plans;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Plans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "plan_code",
                table: "tenants",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "enterprise");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "suspended_at",
                table: "tenants",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "suspension_reason",
                table: "tenants",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "plans",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    rank = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "tenant_usage",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    resource = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    period = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    used = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant_usage", x => new { x.tenant_id, x.resource, x.period });
                    table.ForeignKey(
                        name: "fk_tenant_usage_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_limits",
                columns: table => new
                {
                    plan_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    resource = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    maximum = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_limits", x => new { x.plan_code, x.resource });
                    table.ForeignKey(
                        name: "fk_plan_limits_plans_plan_code",
                        column: x => x.plan_code,
                        principalTable: "plans",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            // The catalogue (docs/decisions/0027). Tenants that exist before plans keep what they had: Enterprise, until
            // an operator moves them; a tenant signed up from now on starts on Free (the application sets it).
            var limits = new (string Resource, int? Free, int? Basic, int? Professional, int? Enterprise)[]
            {
                (PlanResources.ActiveUsers, 3, 10, 50, null),
                (PlanResources.Customers, 250, 2_500, 25_000, null),
                (PlanResources.Contacts, 500, 5_000, 50_000, null),
                (PlanResources.Leads, 500, 5_000, 50_000, null),
                (PlanResources.Campaigns, 2, 20, 200, null),
                (PlanResources.CallsPerMonth, 200, 2_000, 20_000, null),
                (PlanResources.EmailTemplates, 5, 50, 500, null),
                (PlanResources.Workflows, 2, 20, 200, null),
                (PlanResources.EmailsPerMonth, 1_000, 10_000, 100_000, null),
                (PlanResources.ApiRequestsPerMinute, 300, 1_200, 6_000, null),
            };
            static string Max(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "NULL";
            migrationBuilder.Sql($"""
                INSERT INTO plans (code, name, rank) VALUES
                    ('{Plan.Free}', 'Free', 0), ('{Plan.Basic}', 'Basic', 1), ('{Plan.Professional}', 'Professional', 2), ('{Plan.Enterprise}', 'Enterprise', 3);
                INSERT INTO plan_limits (plan_code, resource, maximum) VALUES
                {string.Join(",\n", limits.Select(l =>
                    $"('{Plan.Free}', '{l.Resource}', {Max(l.Free)}), ('{Plan.Basic}', '{l.Resource}', {Max(l.Basic)}), " +
                    $"('{Plan.Professional}', '{l.Resource}', {Max(l.Professional)}), ('{Plan.Enterprise}', '{l.Resource}', {Max(l.Enterprise)})"))};
                GRANT SELECT ON plans, plan_limits TO {DatabaseConnections.AppRole}, {DatabaseConnections.PlatformRole};
                ALTER TABLE tenants ALTER COLUMN plan_code DROP DEFAULT;
                """);

            migrationBuilder.EnableTenantIsolation("tenant_usage");
            migrationBuilder.CreateUsageCounting();
            migrationBuilder.TrackUsage(PlanResources.ActiveUsers, "users", "deactivated_at IS NULL");
            migrationBuilder.TrackUsage(PlanResources.Customers, "customers");
            migrationBuilder.TrackUsage(PlanResources.Contacts, "contacts");
            migrationBuilder.TrackUsage(PlanResources.Leads, "leads");
            migrationBuilder.TrackUsage(PlanResources.Campaigns, "campaigns");
            migrationBuilder.TrackUsage(PlanResources.CallsPerMonth, "calls", monthly: true);
            migrationBuilder.TrackUsage(PlanResources.EmailTemplates, "email_templates");
            migrationBuilder.TrackUsage(PlanResources.Workflows, "workflows");
            // Emails per month are taken by the workflow step that sends one (IPlanUsage), not counted by a trigger.

            migrationBuilder.CreateIndex(
                name: "ix_tenants_plan_code",
                table: "tenants",
                column: "plan_code");

            migrationBuilder.AddForeignKey(
                name: "fk_tenants_plans_plan_code",
                table: "tenants",
                column: "plan_code",
                principalTable: "plans",
                principalColumn: "code",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (resource, table) in new[]
                     {
                         (PlanResources.ActiveUsers, "users"), (PlanResources.Customers, "customers"), (PlanResources.Contacts, "contacts"),
                         (PlanResources.Leads, "leads"), (PlanResources.Campaigns, "campaigns"), (PlanResources.CallsPerMonth, "calls"),
                         (PlanResources.EmailTemplates, "email_templates"), (PlanResources.Workflows, "workflows"),
                     })
                migrationBuilder.UntrackUsage(resource, table);
            migrationBuilder.Sql("DROP FUNCTION app_count_usage(uuid, text, integer, boolean, boolean);");
            migrationBuilder.DisableTenantIsolation("tenant_usage");

            migrationBuilder.DropForeignKey(
                name: "fk_tenants_plans_plan_code",
                table: "tenants");

            migrationBuilder.DropTable(
                name: "plan_limits");

            migrationBuilder.DropTable(
                name: "tenant_usage");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropIndex(
                name: "ix_tenants_plan_code",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "plan_code",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "suspended_at",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "suspension_reason",
                table: "tenants");
        }
    }
}
