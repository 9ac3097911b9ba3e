using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VersionColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The ETag was PostgreSQL's xmin, a cluster-wide transaction counter: its jumps told a tenant how much
            // the other tenants wrote. Each row now counts its own changes (existing rows, and rows inserted
            // outside the application, start at 1; the application always writes the value itself).
            foreach (var table in new[] { "tenants", "customers", "contacts" })
                migrationBuilder.AddColumn<int>(name: "version", table: table, type: "integer", nullable: false, defaultValue: 1);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "tenants", "customers", "contacts" })
                migrationBuilder.DropColumn(name: "version", table: table);
        }
    }
}
