using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecommendationSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing tenants get the defaults (RecommendationSettings.Default); the code sets them for new ones.
            migrationBuilder.AddColumn<int>(
                name: "check_in_within_days",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 90);

            migrationBuilder.AddColumn<int>(
                name: "follow_up_after_days",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<int>(
                name: "top_revenue_percent",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 10);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "check_in_within_days",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "follow_up_after_days",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "top_revenue_percent",
                table: "tenants");
        }
    }
}
