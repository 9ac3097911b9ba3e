using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IsolationSelfTests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "isolation_self_tests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    @operator = table.Column<string>(name: "operator", type: "character varying(128)", maxLength: 128, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    passed = table.Column<bool>(type: "boolean", nullable: true),
                    checks = table.Column<int>(type: "integer", nullable: false),
                    failures = table.Column<int>(type: "integer", nullable: false),
                    report = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_isolation_self_tests", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_isolation_self_tests_started_at",
                table: "isolation_self_tests",
                column: "started_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "isolation_self_tests");
        }
    }
}
