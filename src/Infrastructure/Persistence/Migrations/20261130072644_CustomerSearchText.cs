using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CustomerSearchText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "customers",
                type: "text",
                nullable: false,
                defaultValue: "");

            // The customer list's search reads one column, served by one trigram index (docs/decisions/0020): the
            // customer's own name, email and company (which the customer writes) followed by its contacts' names and
            // emails. Both are recomputed here, in the statement that changes a customer or one of its contacts, so the
            // text is never behind a committed change. The triggers run as the caller: row-level security applies.
            migrationBuilder.Sql("""
                CREATE FUNCTION customer_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := lower(concat_ws(' ', NEW.name, NEW.email, NEW.company_name))
                        || coalesce((SELECT ' ' || string_agg(lower(concat_ws(' ', k.first_name, k.last_name, k.email)), ' ' ORDER BY k.id)
                                     FROM contacts k WHERE k.tenant_id = NEW.tenant_id AND k.customer_id = NEW.id), '');
                    RETURN NEW;
                END $$;
                CREATE TRIGGER tr_customers_search_text BEFORE INSERT OR UPDATE OF name, email, company_name, search_text ON customers
                    FOR EACH ROW EXECUTE FUNCTION customer_search_text();

                CREATE FUNCTION contact_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    changed uuid[] := ARRAY[]::uuid[];
                BEGIN
                    IF TG_OP <> 'INSERT' THEN changed := changed || OLD.customer_id; END IF;
                    IF TG_OP <> 'DELETE' THEN changed := changed || NEW.customer_id; END IF;
                    -- Setting the column fires the customer's trigger, which recomputes it.
                    UPDATE customers SET search_text = '' WHERE tenant_id = coalesce(NEW.tenant_id, OLD.tenant_id) AND id = ANY (changed);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER tr_contacts_search_text AFTER INSERT OR DELETE OR UPDATE OF first_name, last_name, email, customer_id ON contacts
                    FOR EACH ROW EXECUTE FUNCTION contact_search_text();

                DROP INDEX ix_customers_name_trgm;
                DROP INDEX ix_customers_email_trgm;
                DROP INDEX ix_customers_company_name_trgm;
                """);
            // Under row-level security PostgreSQL uses an index for a condition only when its function is LEAKPROOF
            // (it may not run before the policy otherwise), and text LIKE is not marked so, though it cannot reveal a
            // row's value: it answers true or false and fails only for a malformed pattern, the query's own constant
            // (docs/decisions/0020). Only a superuser may mark it; a migration by another owner leaves the search
            // correct but unindexed, and says so.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                        ALTER FUNCTION textlike(text, text) LEAKPROOF;
                    ELSE
                        RAISE NOTICE 'Customer search is not index-served until a superuser runs: ALTER FUNCTION textlike(text, text) LEAKPROOF;';
                    END IF;
                END
                $$;
                """);
            // The existing rows, by the owner (row-level security is forced on both tables, and would show it none).
            migrationBuilder.Sql("""
                ALTER TABLE customers NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY;
                UPDATE customers SET search_text = '';
                ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
                ALTER TABLE customers FORCE ROW LEVEL SECURITY;

                -- Built after the backfill (one build instead of an index entry per updated row). Without GIN's pending
                -- list: every search would scan the entries added since the last vacuum one by one, and the planner,
                -- counting them, turns away from the index; a write pays for its entries at once instead.
                CREATE INDEX ix_customers_search_text_trgm ON customers USING gin (tenant_id, search_text gin_trgm_ops) WITH (fastupdate = off);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                        ALTER FUNCTION textlike(text, text) NOT LEAKPROOF;
                    END IF;
                END
                $$;
                DROP INDEX ix_customers_search_text_trgm;
                DROP TRIGGER tr_contacts_search_text ON contacts;
                DROP FUNCTION contact_search_text();
                DROP TRIGGER tr_customers_search_text ON customers;
                DROP FUNCTION customer_search_text();
                CREATE INDEX ix_customers_name_trgm ON customers USING gin (tenant_id, lower(name) gin_trgm_ops);
                CREATE INDEX ix_customers_email_trgm ON customers USING gin (tenant_id, lower(email) gin_trgm_ops);
                CREATE INDEX ix_customers_company_name_trgm ON customers USING gin (tenant_id, lower(company_name) gin_trgm_ops);
                """);
            migrationBuilder.DropColumn(
                name: "search_text",
                table: "customers");
        }
    }
}
