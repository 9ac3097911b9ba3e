using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WorkflowWaits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "waiting_for",
                table: "workflow_step_runs",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_workflow_step_runs_tenant_id_waiting_for",
                table: "workflow_step_runs",
                columns: new[] { "tenant_id", "waiting_for" },
                filter: "waiting_for IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_workflow_step_runs_tenant_id_waiting_for",
                table: "workflow_step_runs");

            migrationBuilder.DropColumn(
                name: "waiting_for",
                table: "workflow_step_runs");
        }
    }
}
