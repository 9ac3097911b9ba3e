using System;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "outbox_sequence",
                table: "tenants",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    dead_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                    table.UniqueConstraint("ak_outbox_messages_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_outbox_messages_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "outbox_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_deliveries", x => x.id);
                    table.UniqueConstraint("ak_outbox_deliveries_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_outbox_deliveries_outbox_messages_tenant_id_message_id",
                        columns: x => new { x.tenant_id, x.message_id },
                        principalTable: "outbox_messages",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_outbox_deliveries_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_deliveries_tenant_id_message_id_consumer",
                table: "outbox_deliveries",
                columns: new[] { "tenant_id", "message_id", "consumer" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                table: "outbox_messages",
                column: "tenant_id",
                filter: "processed_at IS NULL AND dead_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_tenant_id_sequence",
                table: "outbox_messages",
                columns: new[] { "tenant_id", "sequence" },
                unique: true);

            // The tenant's commit order (docs/decisions/0017). At COMMIT, the first deferred firing in a transaction
            // numbers all of its messages of that tenant (by position) from the tenant row's counter; the others find
            // their row numbered. The counter's row lock is what orders two transactions of one tenant, and it is taken
            // at the commit, so it is held for the commit alone. Other transactions' unnumbered rows are invisible
            // (uncommitted) and committed rows are numbered, so "sequence IS NULL" is exactly this transaction's rows.
            migrationBuilder.Sql("""
                CREATE FUNCTION outbox_number() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    pending integer;
                    last bigint;
                BEGIN
                    IF EXISTS (SELECT 1 FROM outbox_messages WHERE id = NEW.id AND sequence IS NOT NULL) THEN
                        RETURN NULL;
                    END IF;
                    SELECT count(*) INTO pending FROM outbox_messages WHERE tenant_id = NEW.tenant_id AND sequence IS NULL;
                    UPDATE tenants SET outbox_sequence = outbox_sequence + pending WHERE id = NEW.tenant_id
                        RETURNING outbox_sequence INTO last;
                    UPDATE outbox_messages m SET sequence = last - pending + n.rank
                    FROM (SELECT id, row_number() OVER (ORDER BY position, id) AS rank
                          FROM outbox_messages WHERE tenant_id = NEW.tenant_id AND sequence IS NULL) n
                    WHERE m.id = n.id;
                    RETURN NULL;
                END
                $$;

                CREATE CONSTRAINT TRIGGER outbox_number AFTER INSERT ON outbox_messages
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outbox_number();
                """);

            // The third isolation lock (docs/decisions/0014). The dispatcher finds the tenants with pending messages on
            // the platform role, so it reads the messages across tenants; deliveries are only ever read as their tenant.
            migrationBuilder.EnableTenantIsolation("outbox_messages");
            migrationBuilder.EnableTenantIsolation("outbox_deliveries", platformReads: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS outbox_number ON outbox_messages; DROP FUNCTION IF EXISTS outbox_number();");
            migrationBuilder.DisableTenantIsolation("outbox_deliveries");
            migrationBuilder.DisableTenantIsolation("outbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_deliveries");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "outbox_sequence",
                table: "tenants");
        }
    }
}
