using Microsoft.EntityFrameworkCore.Migrations;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Plan limits kept by the database (docs/decisions/0027). <c>tenant_usage</c> holds one counter row per tenant and
/// resource (and month, for a monthly one). A statement trigger on the counted table moves the counter in the writing
/// transaction, so it never drifts from the rows; an increase locks the counter row until commit and is refused with
/// SQLSTATE <see cref="PlanLimitSqlState"/> when it passes the tenant's plan: fifty parallel creates for the last slot
/// queue on that row, and one of them gets it.
/// </summary>
public static class UsageMigrations
{
    /// <summary>The SQLSTATE of a refused increase; its message is <c>plan-limit resource plan limit used</c>.</summary>
    public const string PlanLimitSqlState = "CR001";

    /// <summary>The counting function every counter uses; once, in the migration that creates <c>tenant_usage</c>.</summary>
    public static void CreateUsageCounting(this MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql($"""
            CREATE FUNCTION app_count_usage(p_tenant uuid, p_resource text, p_delta integer, p_monthly boolean, p_refuse boolean)
            RETURNS boolean LANGUAGE plpgsql AS $$
            DECLARE
                v_period text := CASE WHEN p_monthly THEN to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') ELSE '' END;
                v_used integer;
                v_plan text;
                v_max integer;
            BEGIN
                IF p_delta <= 0 THEN
                    -- No row to create for a decrease (a tenant's rows deleted with it leave nothing to count).
                    UPDATE tenant_usage SET used = used + p_delta WHERE tenant_id = p_tenant AND resource = p_resource AND period = v_period;
                    RETURN true;
                END IF;
                INSERT INTO tenant_usage AS u (tenant_id, resource, period, used) VALUES (p_tenant, p_resource, v_period, p_delta)
                ON CONFLICT (tenant_id, resource, period) DO UPDATE SET used = u.used + EXCLUDED.used
                RETURNING u.used INTO v_used;
                SELECT t.plan_code, l.maximum INTO v_plan, v_max
                FROM tenants t LEFT JOIN plan_limits l ON l.plan_code = t.plan_code AND l.resource = p_resource
                WHERE t.id = p_tenant;
                IF v_max IS NULL OR v_used <= v_max THEN
                    RETURN true;
                END IF;
                IF p_refuse THEN
                    RAISE EXCEPTION USING ERRCODE = '{PlanLimitSqlState}',
                        MESSAGE = format('plan-limit %s %s %s %s', p_resource, v_plan, v_max, v_used - p_delta);
                END IF;
                UPDATE tenant_usage SET used = used - p_delta WHERE tenant_id = p_tenant AND resource = p_resource AND period = v_period;
                RETURN false;
            END $$;
            GRANT EXECUTE ON FUNCTION app_count_usage(uuid, text, integer, boolean, boolean) TO {DatabaseConnections.AppRole};
            """);

    /// <summary>
    /// Counts the rows of <paramref name="table"/> that match <paramref name="countedWhen"/> (an SQL condition on the row)
    /// as <paramref name="resource"/>: inserts and deletes move the count, and so do updates that change whether a row
    /// matches. A monthly resource counts the rows inserted in the calendar month (UTC); deletes give nothing back.
    /// The counter starts from the rows the table holds now.
    /// </summary>
    public static void TrackUsage(this MigrationBuilder migrationBuilder, string resource, string table, string countedWhen = "true", bool monthly = false)
    {
        var name = Name(resource);
        string Delta(string rows, string sign) => $"SELECT tenant_id, {sign}1 AS delta FROM {rows} WHERE {countedWhen}";
        string Count(string deltas) =>
            $"PERFORM app_count_usage(d.tenant_id, '{resource}', d.delta::integer, {(monthly ? "true" : "false")}, true) " +
            $"FROM (SELECT tenant_id, sum(delta) AS delta FROM ({deltas}) x GROUP BY tenant_id HAVING sum(delta) <> 0 ORDER BY tenant_id) d;";
        migrationBuilder.Sql($"""
            CREATE FUNCTION app_usage_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {Count(Delta("new_rows", "+"))}
                ELSIF TG_OP = 'DELETE' THEN
                    {Count(Delta("old_rows", "-"))}
                ELSE
                    {Count(Delta("new_rows", "+") + " UNION ALL " + Delta("old_rows", "-"))}
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER usage_{name}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_usage_{name}();
            """);
        if (!monthly)
        {
            migrationBuilder.Sql($"""
                CREATE TRIGGER usage_{name}_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app_usage_{name}();
                """);
        }
        if (!monthly && countedWhen != "true")
        {
            migrationBuilder.Sql($"""
                CREATE TRIGGER usage_{name}_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_usage_{name}();
                """);
        }
        migrationBuilder.CountPresentUsage(resource, table, countedWhen, monthly);
    }

    /// <summary>
    /// Starts a counter from the rows <paramref name="table"/> holds now (for a monthly one, those created this month);
    /// the owner reads every tenant's rows with the lock loosened for the statement.
    /// </summary>
    public static void CountPresentUsage(this MigrationBuilder migrationBuilder, string resource, string table, string countedWhen = "true", bool monthly = false)
    {
        var (period, since) = monthly
            ? ("to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')", " AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'")
            : ("''", "");
        migrationBuilder.Sql($"""
            ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
            ALTER TABLE tenant_usage NO FORCE ROW LEVEL SECURITY;
            INSERT INTO tenant_usage (tenant_id, resource, period, used)
            SELECT tenant_id, '{resource}', {period}, count(*) FROM {table} WHERE {countedWhen}{since} GROUP BY tenant_id;
            ALTER TABLE tenant_usage FORCE ROW LEVEL SECURITY;
            ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
            """);
    }

    public static void UntrackUsage(this MigrationBuilder migrationBuilder, string resource, string table) =>
        migrationBuilder.Sql($"""
            DROP TRIGGER IF EXISTS usage_{Name(resource)}_insert ON {table};
            DROP TRIGGER IF EXISTS usage_{Name(resource)}_delete ON {table};
            DROP TRIGGER IF EXISTS usage_{Name(resource)}_update ON {table};
            DROP FUNCTION app_usage_{Name(resource)}();
            """);

    private static string Name(string resource) => SnakeCaseNames.ToSnake(resource);
}
