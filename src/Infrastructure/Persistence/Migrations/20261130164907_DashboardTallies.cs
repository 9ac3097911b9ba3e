using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The dashboard's tallies (docs/decisions/0025): per tenant, the customers by company, status and source with their
    /// revenue; the leads by company, status, UTC capture day and furthest stage; the activities by UTC day. Statement
    /// triggers append a signed delta row for every insert, update and delete of the counted tables, in the writing
    /// transaction (so a tally changes exactly when its rows do); <c>DashboardTallyService</c> folds each tenant's
    /// deltas into one row per key. No row is ever updated in place, so writers never wait on one another here.
    /// </summary>
    public partial class DashboardTallies : Migration
    {
        private static readonly string[] Tables = ["customer_tallies", "lead_tallies", "activity_tallies"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE customer_tallies (
                    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                    company_id uuid NULL,
                    status text NOT NULL,
                    source text NOT NULL,
                    customers integer NOT NULL,
                    revenue_cents bigint NOT NULL,
                    folded boolean NOT NULL DEFAULT false);
                CREATE INDEX ix_customer_tallies ON customer_tallies (tenant_id, company_id) INCLUDE (status, source, customers, revenue_cents);
                CREATE INDEX ix_customer_tallies_unfolded ON customer_tallies (tenant_id) WHERE NOT folded;

                CREATE TABLE lead_tallies (
                    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                    company_id uuid NULL,
                    status text NOT NULL,
                    captured_on date NOT NULL,
                    furthest_stage smallint NOT NULL,
                    leads integer NOT NULL,
                    folded boolean NOT NULL DEFAULT false);
                CREATE INDEX ix_lead_tallies ON lead_tallies (tenant_id, captured_on) INCLUDE (company_id, status, furthest_stage, leads);
                CREATE INDEX ix_lead_tallies_unfolded ON lead_tallies (tenant_id) WHERE NOT folded;

                CREATE TABLE activity_tallies (
                    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                    occurred_on date NOT NULL,
                    activities integer NOT NULL,
                    folded boolean NOT NULL DEFAULT false);
                CREATE INDEX ix_activity_tallies ON activity_tallies (tenant_id, occurred_on) INCLUDE (activities);
                CREATE INDEX ix_activity_tallies_unfolded ON activity_tallies (tenant_id) WHERE NOT folded;

                -- One function per counted table; each statement of it reads only the transition tables its operation has.
                CREATE FUNCTION app_tally_customers() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO customer_tallies (tenant_id, company_id, status, source, customers, revenue_cents)
                        SELECT tenant_id, company_id, status, source, count(*), coalesce(sum(revenue_cents), 0)
                        FROM new_rows GROUP BY tenant_id, company_id, status, source;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO customer_tallies (tenant_id, company_id, status, source, customers, revenue_cents)
                        SELECT tenant_id, company_id, status, source, -count(*), -coalesce(sum(revenue_cents), 0)
                        FROM old_rows GROUP BY tenant_id, company_id, status, source;
                    ELSE
                        INSERT INTO customer_tallies (tenant_id, company_id, status, source, customers, revenue_cents)
                        SELECT tenant_id, company_id, status, source, sum(n), sum(cents)
                        FROM (SELECT tenant_id, company_id, status, source, 1 AS n, coalesce(revenue_cents, 0) AS cents FROM new_rows
                              UNION ALL
                              SELECT tenant_id, company_id, status, source, -1, -coalesce(revenue_cents, 0) FROM old_rows) d
                        GROUP BY tenant_id, company_id, status, source
                        HAVING sum(n) <> 0 OR sum(cents) <> 0;
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE FUNCTION app_tally_leads() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO lead_tallies (tenant_id, company_id, status, captured_on, furthest_stage, leads)
                        SELECT tenant_id, company_id, status, (captured_at AT TIME ZONE 'UTC')::date, furthest_stage, count(*)
                        FROM new_rows GROUP BY 1, 2, 3, 4, 5;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO lead_tallies (tenant_id, company_id, status, captured_on, furthest_stage, leads)
                        SELECT tenant_id, company_id, status, (captured_at AT TIME ZONE 'UTC')::date, furthest_stage, -count(*)
                        FROM old_rows GROUP BY 1, 2, 3, 4, 5;
                    ELSE
                        INSERT INTO lead_tallies (tenant_id, company_id, status, captured_on, furthest_stage, leads)
                        SELECT tenant_id, company_id, status, captured_on, furthest_stage, sum(n)
                        FROM (SELECT tenant_id, company_id, status, (captured_at AT TIME ZONE 'UTC')::date AS captured_on, furthest_stage, 1 AS n FROM new_rows
                              UNION ALL
                              SELECT tenant_id, company_id, status, (captured_at AT TIME ZONE 'UTC')::date, furthest_stage, -1 FROM old_rows) d
                        GROUP BY 1, 2, 3, 4, 5
                        HAVING sum(n) <> 0;
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE FUNCTION app_tally_activities() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO activity_tallies (tenant_id, occurred_on, activities)
                        SELECT tenant_id, occurred_on, count(*) FROM new_rows GROUP BY 1, 2;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO activity_tallies (tenant_id, occurred_on, activities)
                        SELECT tenant_id, occurred_on, -count(*) FROM old_rows GROUP BY 1, 2;
                    ELSE
                        INSERT INTO activity_tallies (tenant_id, occurred_on, activities)
                        SELECT tenant_id, occurred_on, sum(n)
                        FROM (SELECT tenant_id, occurred_on, 1 AS n FROM new_rows
                              UNION ALL
                              SELECT tenant_id, occurred_on, -1 FROM old_rows) d
                        GROUP BY 1, 2
                        HAVING sum(n) <> 0;
                    END IF;
                    RETURN NULL;
                END $$;
                """);
            foreach (var (table, function) in new[] { ("customers", "app_tally_customers"), ("leads", "app_tally_leads"), ("activities", "app_tally_activities") })
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER tally_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
                    CREATE TRIGGER tally_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
                    CREATE TRIGGER tally_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
                    """);
            }

            // The rows that exist now, folded. The triggers above already hold their tables against writers until this
            // migration commits, so no row is counted twice or missed. The owner reads every tenant's rows with the lock
            // loosened for the statement (as the migrations before this one do).
            migrationBuilder.Sql("""
                ALTER TABLE customers NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE leads NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE activities NO FORCE ROW LEVEL SECURITY;
                INSERT INTO customer_tallies (tenant_id, company_id, status, source, customers, revenue_cents, folded)
                SELECT tenant_id, company_id, status, source, count(*), coalesce(sum(revenue_cents), 0), true
                FROM customers GROUP BY tenant_id, company_id, status, source;
                INSERT INTO lead_tallies (tenant_id, company_id, status, captured_on, furthest_stage, leads, folded)
                SELECT tenant_id, company_id, status, (captured_at AT TIME ZONE 'UTC')::date, furthest_stage, count(*), true
                FROM leads GROUP BY 1, 2, 3, 4, 5;
                INSERT INTO activity_tallies (tenant_id, occurred_on, activities, folded)
                SELECT tenant_id, occurred_on, count(*), true FROM activities GROUP BY 1, 2;
                ALTER TABLE activities FORCE ROW LEVEL SECURITY;
                ALTER TABLE leads FORCE ROW LEVEL SECURITY;
                ALTER TABLE customers FORCE ROW LEVEL SECURITY;
                """);
            foreach (var table in Tables)
                migrationBuilder.EnableTenantIsolation(table);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "customers", "leads", "activities" })
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER tally_insert ON {table};
                    DROP TRIGGER tally_update ON {table};
                    DROP TRIGGER tally_delete ON {table};
                    """);
            }
            migrationBuilder.Sql("""
                DROP FUNCTION app_tally_customers();
                DROP FUNCTION app_tally_leads();
                DROP FUNCTION app_tally_activities();
                """);
            foreach (var table in Tables)
            {
                migrationBuilder.DisableTenantIsolation(table);
                migrationBuilder.Sql($"DROP TABLE {table};");
            }
        }
    }
}
