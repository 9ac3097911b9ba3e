using Npgsql;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// The migrated schema, read from the catalogs: every table with a tenant_id column must carry the whole of the
/// database's isolation lock, so a table added later without it fails here rather than in production.
/// </summary>
public sealed class SchemaIsolationTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    private const string TenantColumn = "tenant_id";

    private sealed record ForeignKey(string Name, string Table, string ReferencedTable, string[] Columns, string[] ReferencedColumns);

    private sealed record Index(string Name, string[] Columns, bool IsUnique, bool IsPrimary, bool IsPartial, bool HasExpressions);

    [Fact]
    public async Task Every_table_with_a_tenant_id_carries_row_level_security_a_composite_key_an_index_and_tenant_safe_foreign_keys()
    {
        await using var connection = new NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();

        var tenantTables = await StringsAsync(connection, """
            SELECT c.table_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
            ORDER BY 1
            """);
        var tenantTableSet = tenantTables.ToHashSet();
        Assert.True(tenantTables.Count >= 4, $"Only {tenantTables.Count} tables with tenant_id found: {string.Join(", ", tenantTables)}");
        Assert.Superset(new HashSet<string> { "customers", "contacts", "oidc_applications", "platform_access_records" }, tenantTableSet);

        var failures = new List<string>();
        foreach (var table in tenantTables)
        {
            var (rowSecurity, forced) = await RowSecurityAsync(connection, table);
            if (!rowSecurity)
                failures.Add($"{table}: row level security is not enabled (relrowsecurity)");
            if (!forced)
                failures.Add($"{table}: row level security is not forced (relforcerowsecurity)");

            var tenantPolicies = await StringsAsync(connection,
                "SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = @table AND qual LIKE '%app_current_tenant()%'", table);
            if (tenantPolicies.Count == 0)
                failures.Add($"{table}: no policy whose USING clause compares with app_current_tenant()");

            var indexes = await IndexesAsync(connection, table);
            // A table keyed by its tenant first (idempotency records: tenant, caller, key) has no id to refer to, and its
            // primary key is its tenant index; every other tenant table has an id.
            var hasId = (await StringsAsync(connection,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @table AND column_name = 'id'", table)).Count > 0;
            if (hasId && !indexes.Any(i => i.IsUnique && !i.IsPartial && !i.HasExpressions && i.Columns.Length == 2
                                  && i.Columns.Order().SequenceEqual(["id", TenantColumn])))
                failures.Add($"{table}: no unique constraint or unique index on exactly (tenant_id, id), which composite foreign keys need");
            if (!indexes.Any(i => (!i.IsPrimary || !hasId) && i.Columns.Length > 0 && i.Columns[0] == TenantColumn))
                failures.Add($"{table}: no index (other than an id primary key) whose first column is tenant_id");

            foreach (var key in await ForeignKeysAsync(connection, table))
            {
                if (!tenantTableSet.Contains(key.ReferencedTable))
                    continue; // e.g. tenant_id -> tenants(id): the tenant itself, fine.
                // OpenIddict's links (docs/decisions/0019): a platform client (no tenant) holds every tenant's tokens, and a
                // token's authorization has the token's own tenant, which may be none; row-level security binds them instead.
                if (table.StartsWith("oidc_", StringComparison.Ordinal) && key.ReferencedTable.StartsWith("oidc_", StringComparison.Ordinal))
                    continue;
                var position = Array.IndexOf(key.Columns, TenantColumn);
                if (key.Columns.Length < 2 || position < 0 || key.ReferencedColumns[position] != TenantColumn)
                    failures.Add($"{table}: foreign key {key.Name} ({string.Join(", ", key.Columns)}) -> {key.ReferencedTable} " +
                                 $"({string.Join(", ", key.ReferencedColumns)}) is not composite on tenant_id on both sides");
            }
        }

        Assert.True(failures.Count == 0,
            $"Tenant tables checked: {string.Join(", ", tenantTables)}.{Environment.NewLine}Isolation rules broken:{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", failures));
    }

    [Fact]
    public async Task The_tenants_table_itself_is_isolated_by_its_id()
    {
        await using var connection = new NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var (rowSecurity, forced) = await RowSecurityAsync(connection, "tenants");
        Assert.True(rowSecurity && forced, "tenants: row level security must be enabled and forced");
        var policies = await StringsAsync(connection,
            "SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = 'tenants' AND qual LIKE '%id = app_current_tenant()%'", "tenants");
        Assert.NotEmpty(policies);
    }

    [Fact]
    public async Task The_application_and_platform_roles_are_neither_superusers_nor_bypass_rls_nor_own_any_table()
    {
        await using var connection = new NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var unsafeRoles = await StringsAsync(connection,
            "SELECT rolname FROM pg_roles WHERE rolname IN ('crm_app', 'crm_platform') AND (rolsuper OR rolbypassrls)");
        Assert.Empty(unsafeRoles);
        Assert.Equal(2, (await StringsAsync(connection, "SELECT rolname FROM pg_roles WHERE rolname IN ('crm_app', 'crm_platform')")).Count);
        var owned = await StringsAsync(connection,
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) IN ('crm_app', 'crm_platform')");
        Assert.Empty(owned);
    }

    private static async Task<(bool Enabled, bool Forced)> RowSecurityAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand(
            "SELECT c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = 'public' AND c.relname = @table", connection);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{table}: not found in pg_class");
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    /// <summary>Every index of the table (unique constraints and the primary key included), with its key columns in order.</summary>
    private static async Task<List<Index>> IndexesAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand("""
            SELECT ic.relname,
                   ARRAY(SELECT coalesce(a.attname::text, '<expression>')
                         FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, ord)
                         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
                         ORDER BY k.ord),
                   i.indisunique, i.indisprimary, i.indpred IS NOT NULL, i.indexprs IS NOT NULL
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class tc ON tc.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = tc.relnamespace
            WHERE n.nspname = 'public' AND tc.relname = @table
            """, connection);
        command.Parameters.AddWithValue("table", table);
        var indexes = new List<Index>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            indexes.Add(new Index(reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5)));
        return indexes;
    }

    /// <summary>Foreign keys from the table, each column paired with the referenced column at the same position.</summary>
    private static async Task<List<ForeignKey>> ForeignKeysAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand("""
            SELECT con.conname, rc.relname,
                   ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
                   ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
            FROM pg_constraint con
            JOIN pg_class tc ON tc.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = tc.relnamespace
            JOIN pg_class rc ON rc.oid = con.confrelid
            WHERE con.contype = 'f' AND n.nspname = 'public' AND tc.relname = @table
            """, connection);
        command.Parameters.AddWithValue("table", table);
        var keys = new List<ForeignKey>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            keys.Add(new ForeignKey(reader.GetString(0), table, reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<string[]>(3)));
        return keys;
    }

    private static async Task<List<string>> StringsAsync(NpgsqlConnection connection, string sql, string? table = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (table is not null)
            command.Parameters.AddWithValue("table", table);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }
}
