using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LeadListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_leads_tenant_id_updated_at",
                table: "leads");

            migrationBuilder.CreateIndex(
                name: "ix_leads_tenant_id_converted_customer_id",
                table: "leads",
                columns: new[] { "tenant_id", "converted_customer_id" });

            migrationBuilder.CreateIndex(
                name: "ix_leads_tenant_id_last_name_first_name",
                table: "leads",
                columns: new[] { "tenant_id", "last_name", "first_name" });

            // The "updated" order of the list: exactly COALESCE(updated_at, created_at), then id.
            migrationBuilder.Sql("CREATE INDEX ix_leads_tenant_id_recent ON leads (tenant_id, COALESCE(updated_at, created_at), id);");

            // The customer a lead was converted into, of the same tenant; deleting that customer clears the link and
            // nothing else (PostgreSQL 15's column list), so the lead stays converted and its tenant stays its own.
            migrationBuilder.Sql("""
                ALTER TABLE leads ADD CONSTRAINT fk_leads_customers_converted_customer
                    FOREIGN KEY (tenant_id, converted_customer_id) REFERENCES customers (tenant_id, id)
                    ON DELETE SET NULL (converted_customer_id);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE leads DROP CONSTRAINT IF EXISTS fk_leads_customers_converted_customer;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_leads_tenant_id_recent;");

            migrationBuilder.DropIndex(
                name: "ix_leads_tenant_id_converted_customer_id",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_tenant_id_last_name_first_name",
                table: "leads");

            migrationBuilder.CreateIndex(
                name: "ix_leads_tenant_id_updated_at",
                table: "leads",
                columns: new[] { "tenant_id", "updated_at" });
        }
    }
}
