using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecentCustomersIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The "recent customers" view orders by COALESCE(updated_at, created_at), then id: an index on exactly that
            // expression, within the tenant, serves it (the specification's order, translated by EF Core).
            migrationBuilder.Sql(
                "CREATE INDEX ix_customers_tenant_id_recent ON customers (tenant_id, COALESCE(updated_at, created_at), id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_customers_tenant_id_recent;");
        }
    }
}
