using Microsoft.EntityFrameworkCore.Migrations;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>One column of a tally: its name and type, and the SQL expression over a row of the counted table that gives it.</summary>
public sealed record TallyColumn(string Name, string Type, string Expression);

/// <summary>
/// A tally of a tenant table in one call (docs/decisions/0025): the tally table with its tenant, keys, sums and
/// <c>folded</c> flag under the three locks; statement triggers on the counted table that append signed deltas in the
/// writing transaction; the counted table's present rows, folded. Sum columns carry the comment <c>tally:sum</c>, which
/// is how <c>DashboardTallyService</c> finds and folds every tally without being told of it.
/// </summary>
public static class TallyMigrations
{
    public const string SumComment = "tally:sum";

    public static void CreateTally(this MigrationBuilder migrationBuilder, string tally, string counted, TallyColumn[] keys, TallyColumn[] sums)
    {
        var keyNames = string.Join(", ", keys.Select(k => k.Name));
        var sumNames = string.Join(", ", sums.Select(s => s.Name));
        var columns = string.Join(",\n    ", keys.Select(k => $"{k.Name} {k.Type} NULL").Concat(sums.Select(s => $"{s.Name} {s.Type} NOT NULL")));
        migrationBuilder.Sql($"""
            CREATE TABLE {tally} (
                tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                {columns},
                folded boolean NOT NULL DEFAULT false);
            CREATE INDEX ix_{tally} ON {tally} (tenant_id, {keyNames}) INCLUDE ({sumNames});
            CREATE INDEX ix_{tally}_unfolded ON {tally} (tenant_id) WHERE NOT folded;
            {string.Join("\n", sums.Select(s => $"COMMENT ON COLUMN {tally}.{s.Name} IS '{SumComment}';"))}
            """);

        string Rows(string source, string sign) =>
            $"SELECT tenant_id, {string.Join(", ", keys.Select(k => $"{k.Expression} AS {k.Name}"))}, " +
            $"{string.Join(", ", sums.Select(s => $"{sign}({s.Expression})::{s.Type} AS {s.Name}"))} FROM {source}";
        var grouped = $"SELECT tenant_id, {keyNames}, {string.Join(", ", sums.Select(s => $"sum({s.Name})"))} FROM ({{0}}) d " +
                      $"GROUP BY tenant_id, {keyNames} HAVING {string.Join(" OR ", sums.Select(s => $"sum({s.Name}) <> 0"))}";
        var insert = $"INSERT INTO {tally} (tenant_id, {keyNames}, {sumNames}) ";
        migrationBuilder.Sql($"""
            CREATE FUNCTION app_tally_{tally}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {insert}{string.Format(grouped, Rows("new_rows", "+"))};
                ELSIF TG_OP = 'DELETE' THEN
                    {insert}{string.Format(grouped, Rows("old_rows", "-"))};
                ELSE
                    {insert}{string.Format(grouped, Rows("new_rows", "+") + " UNION ALL " + Rows("old_rows", "-"))};
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER {tally}_insert AFTER INSERT ON {counted} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_tally_{tally}();
            CREATE TRIGGER {tally}_update AFTER UPDATE ON {counted} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_tally_{tally}();
            CREATE TRIGGER {tally}_delete AFTER DELETE ON {counted} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app_tally_{tally}();
            """);
        // The rows there are now, folded; the triggers above hold the counted table against writers until the migration
        // commits. The owner reads every tenant's rows with the lock loosened for the statement.
        migrationBuilder.Sql($"""
            ALTER TABLE {counted} NO FORCE ROW LEVEL SECURITY;
            INSERT INTO {tally} (tenant_id, {keyNames}, {sumNames}, folded)
            SELECT tenant_id, {keyNames}, {string.Join(", ", sums.Select(s => $"sum({s.Name})"))}, true FROM ({Rows(counted, "+")}) d GROUP BY tenant_id, {keyNames};
            ALTER TABLE {counted} FORCE ROW LEVEL SECURITY;
            """);
        migrationBuilder.EnableTenantIsolation(tally);
    }

    public static void DropTally(this MigrationBuilder migrationBuilder, string tally, string counted)
    {
        migrationBuilder.Sql($"""
            DROP TRIGGER {tally}_insert ON {counted};
            DROP TRIGGER {tally}_update ON {counted};
            DROP TRIGGER {tally}_delete ON {counted};
            DROP FUNCTION app_tally_{tally}();
            """);
        migrationBuilder.DisableTenantIsolation(tally);
        migrationBuilder.Sql($"DROP TABLE {tally};");
    }
}
