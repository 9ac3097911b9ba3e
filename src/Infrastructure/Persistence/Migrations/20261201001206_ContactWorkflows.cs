using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ContactWorkflows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "lead_id",
                table: "workflow_executions",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "contact_id",
                table: "workflow_executions",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_workflow_executions_contact_trigger",
                table: "workflow_executions",
                columns: new[] { "tenant_id", "workflow_id", "contact_id", "trigger_event_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_workflow_executions_tenant_id_contact_id",
                table: "workflow_executions",
                columns: new[] { "tenant_id", "contact_id" });

            migrationBuilder.AddCheckConstraint(
                name: "ck_workflow_executions_one_person",
                table: "workflow_executions",
                sql: "num_nonnulls(lead_id, contact_id) = 1");

            migrationBuilder.AddForeignKey(
                name: "fk_workflow_executions_contacts_tenant_id_contact_id",
                table: "workflow_executions",
                columns: new[] { "tenant_id", "contact_id" },
                principalTable: "contacts",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_workflow_executions_contacts_tenant_id_contact_id",
                table: "workflow_executions");

            migrationBuilder.DropIndex(
                name: "ix_workflow_executions_contact_trigger",
                table: "workflow_executions");

            migrationBuilder.DropIndex(
                name: "ix_workflow_executions_tenant_id_contact_id",
                table: "workflow_executions");

            migrationBuilder.DropCheckConstraint(
                name: "ck_workflow_executions_one_person",
                table: "workflow_executions");

            migrationBuilder.DropColumn(
                name: "contact_id",
                table: "workflow_executions");

            migrationBuilder.AlterColumn<Guid>(
                name: "lead_id",
                table: "workflow_executions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
