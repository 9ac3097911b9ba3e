using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LeadCapture : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_captured_at",
                table: "leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "normalized_email",
                table: "leads",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            // Existing leads get the email a capture compares (EmailAddress.Normalize: trimmed, upper case).
            // Every tenant's rows: the owner lifts its forced row security for this one statement.
            migrationBuilder.Sql("""
                ALTER TABLE leads NO FORCE ROW LEVEL SECURITY;
                UPDATE leads SET normalized_email = upper(btrim(email)) WHERE email IS NOT NULL AND btrim(email) <> '';
                ALTER TABLE leads FORCE ROW LEVEL SECURITY;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_leads_tenant_id_normalized_email",
                table: "leads",
                columns: new[] { "tenant_id", "normalized_email" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_leads_tenant_id_normalized_email",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "last_captured_at",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "normalized_email",
                table: "leads");
        }
    }
}
