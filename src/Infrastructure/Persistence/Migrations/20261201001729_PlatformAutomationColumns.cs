using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The platform role reads what operators troubleshoot and what the runner's and deliverer's search for due work
    /// needs, and no more: a workflow without its webhook secret, and of a delivery (an email's address, subject and body,
    /// a webhook's payload) only the tenant, state and due time.
    /// </summary>
    public partial class PlatformAutomationColumns : Migration
    {
        private static readonly string[] WorkflowColumns =
        [
            "id", "tenant_id", "name", "normalized_name", "enabled", "definition_version", "definition", "trigger_kind", "trigger_tag",
            "trigger_status", "template_ids", "version", "created_at", "created_by", "updated_at", "updated_by",
        ];

        private static readonly string[] DeliveryColumns = ["tenant_id", "state", "due_at"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.LimitPlatformReads("workflows", WorkflowColumns);
            migrationBuilder.LimitPlatformReads("automation_deliveries", DeliveryColumns);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RestorePlatformReads("automation_deliveries", DeliveryColumns);
            migrationBuilder.RestorePlatformReads("workflows", WorkflowColumns);
        }
    }
}
