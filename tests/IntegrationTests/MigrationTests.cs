using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CrmTenancy.IntegrationTests;

public sealed class MigrationTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    [Fact]
    public async Task Every_migration_is_applied_to_the_test_database()
    {
        // The owner applies migrations; the application role cannot even read their history.
        await using var owner = Fixture.Database.Owner();
        Assert.Empty(await owner.Database.GetPendingMigrationsAsync());
        Assert.Equal(owner.Database.GetMigrations(), await owner.Database.GetAppliedMigrationsAsync());
    }

    [Theory]
    [InlineData("SELECT count(*) FROM pg_extension WHERE extname IN ('pg_trgm', 'btree_gin')", 2)]
    [InlineData("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%\\_trgm' AND indexdef LIKE '%(tenant_id, lower(%gin_trgm_ops)%'", 4)]
    [InlineData("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_customers_search_text_trgm' AND indexdef LIKE '%(tenant_id, search_text gin_trgm_ops)%'", 1)]
    [InlineData("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_leads_search_text_trgm' AND indexdef LIKE '%(tenant_id, search_text gin_trgm_ops)%'", 1)]
    [InlineData("SELECT count(*) FROM pg_constraint WHERE conname = 'fk_leads_customers_converted_customer' AND confdeltype = 'n' AND pg_get_constraintdef(oid) LIKE '%SET NULL (converted_customer_id)%'", 1)]
    [InlineData("SELECT count(*) FROM pg_proc WHERE oid = 'textlike(text, text)'::regprocedure AND proleakproof", 1)]
    [InlineData("SELECT count(*) FROM pg_trigger WHERE tgname IN ('tr_customers_search_text', 'tr_contacts_search_text')", 2)]
    [InlineData("SELECT count(*) FROM pg_constraint WHERE conname = 'ex_contacts_one_primary_per_customer' AND condeferrable AND condeferred", 1)]
    [InlineData("SELECT count(*) FROM pg_constraint WHERE conname = 'fk_contacts_customers_tenant_id_customer_id' AND array_length(conkey, 1) = 2", 1)]
    public async Task The_migration_creates_the_hand_written_database_objects(string sql, long expected)
    {
        await using var connection = new NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(expected, (long)(await command.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("SELECT id FROM customers WHERE tenant_id = gen_random_uuid() AND search_text LIKE '%acme%'", "ix_customers_search_text_trgm")]
    [InlineData("SELECT id FROM contacts WHERE tenant_id = gen_random_uuid() AND lower(last_name) LIKE '%acme%'", "ix_contacts_last_name_trgm")]
    [InlineData("SELECT id FROM customers WHERE tenant_id = '01a1fc86-0000-7000-8000-000000000001'::uuid ORDER BY COALESCE(updated_at, created_at) DESC, id DESC LIMIT 25",
        "ix_customers_tenant_id_recent")]
    [InlineData("SELECT id FROM leads WHERE tenant_id = gen_random_uuid() AND search_text LIKE '%acme%'", "ix_leads_search_text_trgm")]
    [InlineData("SELECT id FROM conversation_messages WHERE tenant_id = gen_random_uuid() AND search_text LIKE '%acme%'", "ix_conversation_messages_search_trgm")]
    [InlineData("SELECT id FROM leads WHERE tenant_id = '01a1fc86-0000-7000-8000-000000000001'::uuid ORDER BY COALESCE(updated_at, created_at) DESC, id DESC LIMIT 25",
        "ix_leads_tenant_id_recent")]
    [InlineData("SELECT id FROM leads WHERE tenant_id = '01a1fc86-0000-7000-8000-000000000001'::uuid ORDER BY last_name, first_name, id LIMIT 25",
        "ix_leads_tenant_id_last_name_first_name")]
    public async Task Searches_and_the_recent_view_within_a_tenant_can_use_their_indexes(string query, string index)
    {
        await using var connection = new NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var plan = new NpgsqlCommand($"SET enable_seqscan = off; EXPLAIN {query}", connection);
        var lines = new List<string>();
        await using (var reader = await plan.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(0));
        Assert.Contains(lines, l => l.Contains(index));
    }

    [Fact]
    public async Task The_customer_search_is_served_by_its_trigram_index_under_row_level_security()
    {
        // As the application role, with a tenant set: the policy's condition comes first, and the search's LIKE may
        // join the index only because it is marked leakproof; otherwise the plan finds the tenant's rows by another
        // index and filters every one of them.
        await using (var owner = new NpgsqlConnection(Fixture.Database.ConnectionString))
        {
            await owner.OpenAsync();
            await using var seed = new NpgsqlCommand($"""
                SELECT set_config('app.tenant_id', '{TenantA}', false);
                INSERT INTO customers (id, tenant_id, name, status, source, tags, total_revenue, created_at, version)
                SELECT gen_random_uuid(), '{TenantA}', 'Customer ' || g, 'Active', 'Web', ARRAY[]::text[], 0, now(), 1 FROM generate_series(1, 2000) g;
                ANALYZE customers;
                """, owner);
            await seed.ExecuteNonQueryAsync();
        }
        var app = Infrastructure.Persistence.DatabaseConnections.AsRole(Fixture.Database.ConnectionString, Infrastructure.Persistence.DatabaseConnections.AppRole);
        await using var connection = new NpgsqlConnection(app);
        await connection.OpenAsync();
        await using var plan = new NpgsqlCommand($"""
            SET enable_seqscan = off;
            SELECT set_config('app.tenant_id', '{TenantA}', false);
            EXPLAIN SELECT id FROM customers WHERE tenant_id = '{TenantA}'::uuid AND search_text LIKE '%acme%'
            """, connection);
        var lines = new List<string>();
        await using (var reader = await plan.ExecuteReaderAsync())
        {
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(0));
        }
        Assert.Contains(lines, l => l.Contains("ix_customers_search_text_trgm"));
        Assert.Contains(lines, l => l.Contains("Index Cond") && l.Contains("~~"));
    }
}
