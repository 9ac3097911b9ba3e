using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecordSharing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "shared",
                table: "leads",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "shared",
                table: "customers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "shared",
                table: "contacts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "shared",
                table: "activities",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_leads_shared",
                table: "leads",
                column: "tenant_id",
                filter: "shared");

            migrationBuilder.CreateIndex(
                name: "ix_customers_shared",
                table: "customers",
                column: "tenant_id",
                filter: "shared");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_shared",
                table: "contacts",
                column: "tenant_id",
                filter: "shared");

            migrationBuilder.CreateIndex(
                name: "ix_activities_shared",
                table: "activities",
                column: "tenant_id",
                filter: "shared");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_leads_shared",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_customers_shared",
                table: "customers");

            migrationBuilder.DropIndex(
                name: "ix_contacts_shared",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_activities_shared",
                table: "activities");

            migrationBuilder.DropColumn(
                name: "shared",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "shared",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "shared",
                table: "contacts");

            migrationBuilder.DropColumn(
                name: "shared",
                table: "activities");
        }
    }
}
