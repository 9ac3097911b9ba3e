using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Platform;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Infrastructure.Persistence.Specifications;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// Each isolation lock on its own, with the other two switched off: the tenant specification (lock 1), the named
/// query filter (lock 2), PostgreSQL row-level security (lock 3), and the write-side interceptor. Every test first
/// shows that, without the lock under test, the other tenant's rows really are reachable, so it cannot pass vacuously.
/// </summary>
public sealed class LocksAloneTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    private static readonly string[] TenantFilter = [CrmDbContext.TenantFilter];

    /// <summary>Every customer of the tenant: the tenant criterion and nothing else.</summary>
    private sealed class AllCustomers(ITenantContext tenant) : TenantSpecification<Customer>(tenant);

    private sealed class AllContacts(ITenantContext tenant) : TenantSpecification<Contact>(tenant);

    /// <summary>Test-only: forgets the tenant on purpose, so only the query filter (or RLS) can keep B's rows out.</summary>
    private sealed class UnscopedCustomers : Specification<Customer>
    {
        public UnscopedCustomers() => Query.OrderBy(c => c.Name);
    }

    private sealed class UnscopedContacts : Specification<Contact>
    {
        public UnscopedContacts() => Query.OrderBy(c => c.LastName);
    }

    // ---- Lock 1 alone -------------------------------------------------------------------------------------

    [Fact]
    public async Task Lock_1_alone_the_tenant_specification_returns_only_the_tenants_rows_with_the_filter_ignored_and_rls_bypassed()
    {
        await SeedAsync();
        await using var owner = Fixture.Database.Owner();
        var customers = owner.Customers.IgnoreQueryFilters(TenantFilter);
        var contacts = owner.Contacts.IgnoreQueryFilters(TenantFilter);
        // Without the specification, the other two locks are really off: both tenants' rows come back.
        Assert.Equal(4, await customers.CountAsync());
        Assert.Equal(4, await contacts.CountAsync());

        var tenantA = Resolved(TenantA);
        var onlyCustomers = await EfSpecificationEvaluator.Default.GetQuery(customers, new AllCustomers(tenantA)).ToListAsync();
        var onlyContacts = await EfSpecificationEvaluator.Default.GetQuery(contacts, new AllContacts(tenantA)).ToListAsync();

        Assert.Equal(["A customer 1", "A customer 2"], onlyCustomers.Select(c => c.Name).Order());
        Assert.All(onlyCustomers, c => Assert.Equal(TenantA, c.TenantId));
        Assert.Equal(2, onlyContacts.Count);
        Assert.All(onlyContacts, c => Assert.Equal(TenantA, c.TenantId));
    }

    // ---- Lock 2 alone -------------------------------------------------------------------------------------

    [Fact]
    public async Task Lock_2_alone_the_named_query_filter_returns_only_the_tenants_rows_for_an_unscoped_specification_on_the_owner()
    {
        await SeedAsync();
        await using var db = OwnerContextFor(TenantA);
        // Row-level security is bypassed (superuser) and the specification has no tenant criterion...
        Assert.Equal(4, await EfSpecificationEvaluator.Default.GetQuery(db.Customers.IgnoreQueryFilters(TenantFilter), new UnscopedCustomers()).CountAsync());

        // ...so the filter is all that keeps B's rows out.
        var customers = await EfSpecificationEvaluator.Default.GetQuery(db.Customers, new UnscopedCustomers()).ToListAsync();
        var contacts = await EfSpecificationEvaluator.Default.GetQuery(db.Contacts, new UnscopedContacts()).ToListAsync();

        Assert.Equal(["A customer 1", "A customer 2"], customers.Select(c => c.Name));
        Assert.All(customers, c => Assert.Equal(TenantA, c.TenantId));
        Assert.Equal(2, contacts.Count);
        Assert.All(contacts, c => Assert.Equal(TenantA, c.TenantId));
        // Includes through navigations are filtered too.
        var withContacts = await db.Customers.Include(c => c.Contacts).ToListAsync();
        Assert.All(withContacts.SelectMany(c => c.Contacts), c => Assert.Equal(TenantA, c.TenantId));
    }

    [Fact]
    public async Task Lock_2_alone_an_owner_context_without_a_tenant_sees_nothing_through_the_filter()
    {
        await SeedAsync();
        await using var db = Fixture.Database.Owner();
        Assert.Empty(await EfSpecificationEvaluator.Default.GetQuery(db.Customers, new UnscopedCustomers()).ToListAsync());
        Assert.Empty(await db.Contacts.ToListAsync());
        Assert.Equal(4, await db.Customers.IgnoreQueryFilters(TenantFilter).CountAsync());
    }

    // ---- Lock 3 alone -------------------------------------------------------------------------------------

    [Theory]
    [InlineData("customers", "tenant_id", 2)]
    [InlineData("contacts", "tenant_id", 2)]
    [InlineData("oidc_applications", "tenant_id", 1)]
    [InlineData("platform_access_records", "tenant_id", 1)]
    [InlineData("tenants", "id", 1)]
    public async Task Lock_3_alone_row_level_security_shows_the_app_role_only_the_tenants_rows_without_any_where(string table, string tenantColumn, int expected)
    {
        await SeedAsync();
        // Superuser first: the other tenant's rows are there to be leaked.
        await using (var owner = await OpenAsync(Fixture.Database.ConnectionString))
            Assert.Contains(TenantB, await TenantsOfAsync(owner, $"SELECT {tenantColumn} FROM {table}"));

        await using var app = await AppConnectionAsync(TenantA);
        var tenants = await TenantsOfAsync(app, $"SELECT {tenantColumn} FROM {table}");

        Assert.Equal(expected, tenants.Count);
        Assert.All(tenants, t => Assert.Equal(TenantA, t));
    }

    [Fact]
    public async Task Lock_3_alone_the_app_role_cannot_insert_a_row_of_another_tenant()
    {
        await SeedAsync();
        await using var app = await AppConnectionAsync(TenantA);

        // Its own tenant's row goes in: the refusal below is the policy, not a missing grant or column.
        Assert.Equal(1, await InsertCopyAsync(app, TenantA, "Inserted by A"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => InsertCopyAsync(app, TenantB, "Planted in B"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("row-level security", refused.MessageText);

        await using var owner = await OpenAsync(Fixture.Database.ConnectionString);
        Assert.Equal(0L, await ScalarAsync<long>(owner, "SELECT count(*) FROM customers WHERE name = 'Planted in B'"));
    }

    [Fact]
    public async Task Lock_3_alone_the_app_role_cannot_update_or_delete_another_tenants_rows_nor_move_its_own_to_them()
    {
        await SeedAsync();
        await using var app = await AppConnectionAsync(TenantA);

        Assert.Equal(0, await ExecuteAsync(app, "UPDATE customers SET name = 'hijacked' WHERE tenant_id = @tenant", TenantB));
        Assert.Equal(0, await ExecuteAsync(app, "DELETE FROM contacts WHERE tenant_id = @tenant", TenantB));
        Assert.Equal(0, await ExecuteAsync(app, "DELETE FROM customers WHERE tenant_id = @tenant", TenantB));
        Assert.Equal(0, await ExecuteAsync(app, "UPDATE tenants SET name = 'hijacked' WHERE id = @tenant", TenantB));
        // An unqualified UPDATE reaches only A's own rows.
        Assert.Equal(2, await ExecuteAsync(app, "UPDATE customers SET notes = 'touched'", null));
        // Moving A's row into B fails the WITH CHECK half of the policy.
        var moved = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, "UPDATE customers SET tenant_id = @tenant", TenantB));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, moved.SqlState);

        await using var owner = await OpenAsync(Fixture.Database.ConnectionString);
        Assert.Equal(2L, await ScalarAsync<long>(owner, $"SELECT count(*) FROM customers WHERE tenant_id = '{TenantB}' AND name LIKE 'B customer %' AND notes IS NULL"));
        Assert.Equal(2L, await ScalarAsync<long>(owner, $"SELECT count(*) FROM contacts WHERE tenant_id = '{TenantB}'"));
        Assert.Equal(2L, await ScalarAsync<long>(owner, $"SELECT count(*) FROM customers WHERE tenant_id = '{TenantA}' AND notes = 'touched'"));
        Assert.Equal("Tenant tenant-b", await ScalarAsync<string>(owner, $"SELECT name FROM tenants WHERE id = '{TenantB}'"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Lock_3_alone_the_app_role_without_a_tenant_setting_sees_nothing_at_all(string? setting)
    {
        await SeedAsync();
        await using var app = await OpenAsync(AppConnectionString);
        if (setting is not null)
            await ExecuteAsync(app, $"SELECT set_config('{TenantConnectionInterceptor.Setting}', '{setting}', false)", null);

        foreach (var table in new[] { "tenants", "customers", "contacts", "oidc_applications", "platform_access_records" })
            Assert.True(await ScalarAsync<long>(app, $"SELECT count(*) FROM {table}") == 0, $"{table} shows rows to the app role without a tenant");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => InsertCustomerAsync(app, TenantA, "No tenant"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("row-level security", refused.MessageText);
    }

    [Theory]
    [InlineData("SELECT count(*) FROM " + NpgsqlSetup.MigrationsHistoryTable)]
    [InlineData("ALTER TABLE customers DISABLE ROW LEVEL SECURITY")]
    [InlineData("ALTER TABLE customers NO FORCE ROW LEVEL SECURITY")]
    [InlineData("DROP POLICY tenant_isolation ON customers")]
    [InlineData("CREATE POLICY let_me_in ON customers USING (true)")]
    [InlineData("ALTER TABLE contacts DISABLE ROW LEVEL SECURITY")]
    [InlineData("SET row_security = off; SELECT count(*) FROM customers")]
    public async Task Lock_3_alone_the_app_role_can_neither_read_the_migrations_nor_switch_row_level_security_off(string sql)
    {
        await SeedAsync();
        await using var app = await AppConnectionAsync(TenantA);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, sql, null));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);

        await using var owner = await OpenAsync(Fixture.Database.ConnectionString);
        Assert.True(await ScalarAsync<bool>(owner, "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'customers'::regclass"));
        Assert.Equal(2L, await ScalarAsync<long>(owner, "SELECT count(*) FROM pg_policies WHERE tablename = 'customers'"));
    }

    // ---- The write-side lock alone ------------------------------------------------------------------------

    [Fact]
    public async Task The_audit_interceptor_alone_refuses_changing_another_tenants_row_loaded_with_the_filter_ignored_on_the_owner()
    {
        await SeedAsync();
        var contexts = Fixture.Services.GetRequiredService<DbContexts>();
        await using (var db = contexts.Owner(ResolvedContext(TenantA), Fixture.User))
        {
            // RLS bypassed (superuser), filter ignored: B's row is loaded into A's context.
            var foreign = await db.Customers.IgnoreQueryFilters(TenantFilter).SingleAsync(c => c.TenantId == TenantB && c.Name == "B customer 1");
            foreign.ChangeStatus(CustomerStatus.Inactive);
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
        }
        await using (var db = contexts.Owner(ResolvedContext(TenantA), Fixture.User))
        {
            var contact = await db.Contacts.IgnoreQueryFilters(TenantFilter).FirstAsync(c => c.TenantId == TenantB);
            db.Contacts.Remove(contact);
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
        }
        await using (var db = contexts.Owner(ResolvedContext(TenantA), Fixture.User))
        {
            db.Customers.Add(Customer.Create(TenantB, new CustomerDetails("Planted by A"), CustomerSource.Web, null));
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
        }

        await using var check = Fixture.Database.Owner();
        var customersOfB = await check.Customers.IgnoreQueryFilters(TenantFilter).Where(c => c.TenantId == TenantB).ToListAsync();
        Assert.Equal(2, customersOfB.Count);
        Assert.All(customersOfB, c => Assert.Equal(CustomerStatus.Active, c.Status));
        Assert.Equal(2, await check.Contacts.IgnoreQueryFilters(TenantFilter).CountAsync(c => c.TenantId == TenantB));

        // The same change in B's own context is saved: the interceptor was the only thing in the way.
        await using (var db = contexts.Owner(ResolvedContext(TenantB), Fixture.User))
        {
            var own = await db.Customers.SingleAsync(c => c.Name == "B customer 1");
            own.ChangeStatus(CustomerStatus.Inactive);
            await db.SaveChangesAsync();
        }
        await using var after = Fixture.Database.Owner();
        Assert.Equal(CustomerStatus.Inactive,
            (await after.Customers.IgnoreQueryFilters(TenantFilter).SingleAsync(c => c.Name == "B customer 1")).Status);
    }

    // ---- The platform role --------------------------------------------------------------------------------

    [Fact]
    public async Task The_platform_role_reads_every_tenants_rows_without_a_tenant_setting()
    {
        await SeedAsync();
        await using var platform = await OpenAsync(PlatformConnectionString);
        var customers = await TenantsOfAsync(platform, "SELECT tenant_id FROM customers");
        Assert.Equal(2, customers.Count(t => t == TenantA));
        Assert.Equal(2, customers.Count(t => t == TenantB));
        Assert.Equal(4L, await ScalarAsync<long>(platform, "SELECT count(*) FROM contacts"));
        Assert.Equal(2L, await ScalarAsync<long>(platform, "SELECT count(*) FROM tenants"));
        Assert.Equal(2L, await ScalarAsync<long>(platform, "SELECT count(*) FROM oidc_applications"));
        Assert.Equal(2L, await ScalarAsync<long>(platform, "SELECT count(*) FROM platform_access_records"));
        // What the runner's and deliverer's search for due work and the operators' troubleshooting read stays readable.
        Assert.Equal(0L, await ScalarAsync<long>(platform, "SELECT count(*) FROM automation_deliveries WHERE state = 'Pending' AND due_at <= now()"));
        Assert.Equal(0L, await ScalarAsync<long>(platform, "SELECT count(*) FROM (SELECT id, tenant_id, name, enabled, definition, trigger_kind FROM workflows) w"));
    }

    [Theory]
    [InlineData("INSERT INTO customers (id, tenant_id, name, status, source, tags, total_revenue, created_at) VALUES (gen_random_uuid(), @tenant, 'platform', 'Active', 'Web', '{}', 0, now())")]
    [InlineData("UPDATE customers SET name = 'platform' WHERE tenant_id = @tenant")]
    [InlineData("DELETE FROM customers WHERE tenant_id = @tenant")]
    [InlineData("DELETE FROM contacts WHERE tenant_id = @tenant")]
    [InlineData("UPDATE tenants SET name = 'platform' WHERE id = @tenant")]
    [InlineData("UPDATE platform_access_records SET actor = 'someone else' WHERE tenant_id = @tenant")]
    [InlineData("DELETE FROM platform_access_records WHERE tenant_id = @tenant")]
    [InlineData("SELECT count(*) FROM signing_keys")]
    // Workflows without their webhook secret, deliveries without their addresses and bodies (the due-work search reads
    // only tenant, state and due time).
    [InlineData("SELECT webhook_secret FROM workflows")]
    [InlineData("SELECT body FROM automation_deliveries")]
    [InlineData("SELECT * FROM automation_deliveries")]
    public async Task The_platform_role_cannot_change_tenant_data_nor_rewrite_access_records(string sql)
    {
        await SeedAsync();
        await using var platform = await OpenAsync(PlatformConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(platform, sql, TenantB));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("permission denied", refused.MessageText);

        await using var owner = await OpenAsync(Fixture.Database.ConnectionString);
        Assert.Equal(0L, await ScalarAsync<long>(owner, "SELECT count(*) FROM customers WHERE name = 'platform'"));
        Assert.Equal(4L, await ScalarAsync<long>(owner, "SELECT count(*) FROM customers"));
        Assert.Equal(2L, await ScalarAsync<long>(owner, "SELECT count(*) FROM platform_access_records WHERE actor = 'operator'"));
    }

    [Fact]
    public async Task The_platform_role_can_append_access_records_for_any_tenant()
    {
        await SeedAsync();
        await using var platform = await OpenAsync(PlatformConnectionString);
        foreach (var tenant in new[] { TenantA, TenantB })
        {
            Assert.Equal(1, await ExecuteAsync(platform,
                "INSERT INTO platform_access_records (id, tenant_id, actor, action, at) VALUES (gen_random_uuid(), @tenant, 'platform-test', 'customers.list', now())",
                tenant));
        }

        await using var owner = await OpenAsync(Fixture.Database.ConnectionString);
        Assert.Equal(2L, await ScalarAsync<long>(owner, "SELECT count(DISTINCT tenant_id) FROM platform_access_records WHERE actor = 'platform-test'"));
    }

    // ---- Helpers ------------------------------------------------------------------------------------------

    private string AppConnectionString => DatabaseConnections.AsRole(Fixture.Database.ConnectionString, DatabaseConnections.AppRole);

    private string PlatformConnectionString => DatabaseConnections.AsRole(Fixture.Database.ConnectionString, DatabaseConnections.PlatformRole);

    private static TenantContext ResolvedContext(Guid tenantId)
    {
        var tenant = new TenantContext();
        tenant.Resolve(tenantId);
        return tenant;
    }

    private static ITenantContext Resolved(Guid tenantId) => ResolvedContext(tenantId);

    /// <summary>A superuser context (RLS does not apply) whose tenant is resolved, without any interceptor.</summary>
    private CrmDbContext OwnerContextFor(Guid tenantId) =>
        new CrmDbContext(new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres(Fixture.Database.ConnectionString).Options)
            .Bind(ResolvedContext(tenantId), actor: null);

    /// <summary>Two customers and two contacts per tenant, through each tenant's own scope; one access record each.</summary>
    private async Task SeedAsync()
    {
        foreach (var (tenant, prefix) in new[] { (TenantA, "A"), (TenantB, "B") })
        {
            await using var scope = Fixture.For(tenant);
            for (var i = 1; i <= 2; i++)
            {
                var customer = Customer.Create(tenant, new CustomerDetails($"{prefix} customer {i}"), CustomerSource.Web, null);
                scope.Db.Customers.Add(customer);
                var contact = Contact.Create(tenant, new ContactDetails($"{prefix} first {i}", $"{prefix} last {i}"), null);
                contact.LinkTo(customer);
                scope.Db.Contacts.Add(contact);
            }
            await scope.Db.SaveChangesAsync();
        }
        await using var owner = Fixture.Database.Owner();
        owner.PlatformAccessRecords.Add(PlatformAccessRecord.Create(TenantA, "operator", "tenants.list", null, Fixture.Clock.Now));
        owner.PlatformAccessRecords.Add(PlatformAccessRecord.Create(TenantB, "operator", "tenants.list", null, Fixture.Clock.Now));
        await owner.SaveChangesAsync();
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The application role with the tenant set the way the connection interceptor sets it.</summary>
    private async Task<NpgsqlConnection> AppConnectionAsync(Guid tenantId)
    {
        var connection = await OpenAsync(AppConnectionString);
        await ExecuteAsync(connection, $"SELECT set_config('{TenantConnectionInterceptor.Setting}', '{tenantId}', false)", null);
        return connection;
    }

    /// <summary>An explicit insert; row-level security checks the new row before its NOT NULL and other constraints.</summary>
    private static async Task<int> InsertCustomerAsync(NpgsqlConnection connection, Guid tenantId, string name)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO customers (id, tenant_id, name, status, source, tags, total_revenue, created_at) " +
            "VALUES (gen_random_uuid(), @tenant, @name, 'Active', 'Web', '{}', 0, now())", connection);
        insert.Parameters.AddWithValue("tenant", tenantId);
        insert.Parameters.AddWithValue("name", name);
        return await insert.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Inserts a copy of a customer row the connection can see, with a new id, tenant and name: a complete row
    /// whatever columns the schema has, so only the policy can refuse it.
    /// </summary>
    private static async Task<int> InsertCopyAsync(NpgsqlConnection connection, Guid tenantId, string name)
    {
        // Every column but the generated ones, which only the database writes.
        var columns = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'customers' AND is_generated = 'NEVER' ORDER BY ordinal_position", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                columns.Add(reader.GetString(0));
        }
        var names = string.Join(", ", columns);
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO customers ({names}) SELECT {string.Join(", ", columns.Select(c => "r." + c))} " +
            "FROM customers c, jsonb_populate_record(c, jsonb_build_object('id', gen_random_uuid(), 'tenant_id', @tenant, 'name', @name)) r LIMIT 1", connection);
        insert.Parameters.AddWithValue("tenant", tenantId);
        insert.Parameters.AddWithValue("name", name);
        return await insert.ExecuteNonQueryAsync();
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, Guid? tenant)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (tenant is { } id)
            command.Parameters.AddWithValue("tenant", id);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<Guid>> TenantsOfAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var tenants = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            tenants.Add(reader.GetGuid(0));
        return tenants;
    }
}
