using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MemberDashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_activities_shared",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_tenant_id_assignee_id",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_tenant_id_owner_id",
                table: "activities");

            // Each leads with the tenant and the member and ends with the UTC day, so a member's timeline and activities
            // per day are a bitmap OR of three index ranges instead of a filter over every entry of the tenant.
            migrationBuilder.Sql("""
                CREATE INDEX ix_activities_tenant_id_owner_id_occurred_on ON activities (tenant_id, owner_id, occurred_on);
                CREATE INDEX ix_activities_tenant_id_assignee_id_occurred_on ON activities (tenant_id, assignee_id, occurred_on);
                CREATE INDEX ix_activities_shared_occurred_on ON activities (tenant_id, occurred_on) WHERE shared;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ix_activities_shared_occurred_on;
                DROP INDEX ix_activities_tenant_id_assignee_id_occurred_on;
                DROP INDEX ix_activities_tenant_id_owner_id_occurred_on;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_activities_shared",
                table: "activities",
                column: "tenant_id",
                filter: "shared");

            migrationBuilder.CreateIndex(
                name: "ix_activities_tenant_id_assignee_id",
                table: "activities",
                columns: new[] { "tenant_id", "assignee_id" });

            migrationBuilder.CreateIndex(
                name: "ix_activities_tenant_id_owner_id",
                table: "activities",
                columns: new[] { "tenant_id", "owner_id" });
        }
    }
}
