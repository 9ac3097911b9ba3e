using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Conversations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "conversations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: true),
                    call_id = table.Column<Guid>(type: "uuid", nullable: true),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    message_count = table.Column<int>(type: "integer", nullable: false),
                    last_message_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    assignee_id = table.Column<Guid>(type: "uuid", nullable: true),
                    shared = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversations", x => x.id);
                    table.UniqueConstraint("ak_conversations_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_conversations_calls_tenant_id_call_id",
                        columns: x => new { x.tenant_id, x.call_id },
                        principalTable: "calls",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_conversations_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "conversation_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    speaker = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    text = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    search_text = table.Column<string>(type: "text", nullable: false, computedColumnSql: "lower(text)", stored: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sentiment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversation_messages", x => x.id);
                    table.UniqueConstraint("ak_conversation_messages_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_conversation_messages_conversations_tenant_id_conversation_~",
                        columns: x => new { x.tenant_id, x.conversation_id },
                        principalTable: "conversations",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_conversation_messages_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_conversation_messages_tenant_id_conversation_id_sequence",
                table: "conversation_messages",
                columns: new[] { "tenant_id", "conversation_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversations_shared",
                table: "conversations",
                column: "tenant_id",
                filter: "shared");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_tenant_id_call_id",
                table: "conversations",
                columns: new[] { "tenant_id", "call_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_tenant_id_contact_id",
                table: "conversations",
                columns: new[] { "tenant_id", "contact_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_tenant_id_created_at_id",
                table: "conversations",
                columns: new[] { "tenant_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_tenant_id_lead_id",
                table: "conversations",
                columns: new[] { "tenant_id", "lead_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_tenant_id_owner_id",
                table: "conversations",
                columns: new[] { "tenant_id", "owner_id" });

            // The person a conversation concerns, of the same tenant (checked at commit: EF Core does not know these keys).
            // Messages are written once: the application role may add and delete them (with their conversation), never
            // change one. The search finds them through a trigram index on their lower-cased text, within the tenant.
            migrationBuilder.Sql("""
                ALTER TABLE conversations ADD CONSTRAINT fk_conversations_contacts
                    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE SET NULL (contact_id) DEFERRABLE INITIALLY DEFERRED;
                ALTER TABLE conversations ADD CONSTRAINT fk_conversations_leads
                    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE SET NULL (lead_id) DEFERRABLE INITIALLY DEFERRED;
                CREATE INDEX ix_conversation_messages_search_trgm ON conversation_messages USING gin (tenant_id, search_text gin_trgm_ops);
                """);
            migrationBuilder.EnableTenantIsolation("conversations");
            // What was said is the tenant's alone: operators oversee conversations (their counts), not their words.
            migrationBuilder.EnableTenantIsolation("conversation_messages", platformReads: false);
            migrationBuilder.Sql($"REVOKE UPDATE ON conversation_messages FROM {DatabaseConnections.AppRole};");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantIsolation("conversation_messages");
            migrationBuilder.DisableTenantIsolation("conversations");
            migrationBuilder.DropTable(
                name: "conversation_messages");

            migrationBuilder.DropTable(
                name: "conversations");
        }
    }
}
