using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OwnerSeedsPlatformClients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Platform operators' clients have no tenant, so no tenant policy admits them. The owner (who seeds them,
            // and is bound by FORCE when it is not a superuser) may manage exactly those rows.
            migrationBuilder.Sql(
                "CREATE POLICY owner_platform_clients ON oauth_clients TO CURRENT_USER USING (tenant_id IS NULL) WITH CHECK (tenant_id IS NULL);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP POLICY IF EXISTS owner_platform_clients ON oauth_clients;");
        }
    }
}
