using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TenantAdminsChangedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "admins_changed_at",
                table: "tenants",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "admins_changed_at",
                table: "tenants");
        }
    }
}
