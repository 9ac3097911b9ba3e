using CrmTenancy.Application;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Infrastructure;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// A pooled connection, or a pooled context, must not carry one unit of work's tenant into the next. With a pool of
/// one connection per role, every scope below runs on the same PostgreSQL backend, and EF Core's context pool hands
/// each the same context instance, so a tenant left behind on either would show.
/// </summary>
public sealed class ConnectionPoolTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    private sealed record Observation(int BackendPid, string? Setting, List<string> Customers, long RawCount, CrmDbContext Context);

    [Fact]
    public async Task A_pooled_connection_answers_each_scope_with_its_own_tenant_and_none_without_one()
    {
        await SeedAsync(TenantA, "Row of A");
        await SeedAsync(TenantB, "Row of B");

        var owner = new NpgsqlConnectionStringBuilder(Fixture.Database.ConnectionString) { Pooling = true, MaxPoolSize = 1 }.ConnectionString;
        var app = DatabaseConnections.WithTimeouts(DatabaseConnections.WithAutoPrepare(DatabaseConnections.AsRole(owner, DatabaseConnections.AppRole)));
        await using var services = BuildServices(owner);
        Assert.Equal(app, services.GetRequiredService<DatabaseConnections>().App);
        try
        {
            var a = await ObserveAsync(services, TenantA);
            var none = await ObserveAsync(services, null);
            var b = await ObserveAsync(services, TenantB);
            var aAgain = await ObserveAsync(services, TenantA);

            Assert.Equal(["Row of A"], a.Customers);
            Assert.Equal(TenantA.ToString(), a.Setting);
            Assert.Equal(1, a.RawCount);

            Assert.Empty(none.Customers);
            Assert.Equal("", none.Setting);
            Assert.Equal(0, none.RawCount);

            Assert.Equal(["Row of B"], b.Customers);
            Assert.Equal(TenantB.ToString(), b.Setting);
            Assert.Equal(1, b.RawCount);

            Assert.Equal(["Row of A"], aAgain.Customers);
            Assert.Equal(TenantA.ToString(), aAgain.Setting);

            // One physical connection served all of them: the pool really was reused.
            Assert.Equal([a.BackendPid], new[] { none.BackendPid, b.BackendPid, aAgain.BackendPid }.Distinct());
            // And one context: each scope leased the instance the one before gave back, bound to its own tenant.
            Assert.All(new[] { none.Context, b.Context, aAgain.Context }, context => Assert.Same(a.Context, context));
        }
        finally
        {
            await using var clear = new NpgsqlConnection(app);
            NpgsqlConnection.ClearPool(clear);
        }
    }

    [Fact]
    public async Task A_connection_taken_from_the_pool_without_the_interceptor_has_no_tenant_left_on_it()
    {
        await SeedAsync(TenantA, "Row of A");
        var owner = new NpgsqlConnectionStringBuilder(Fixture.Database.ConnectionString) { Pooling = true, MaxPoolSize = 1 }.ConnectionString;
        var app = DatabaseConnections.WithTimeouts(DatabaseConnections.WithAutoPrepare(DatabaseConnections.AsRole(owner, DatabaseConnections.AppRole)));
        await using var services = BuildServices(owner);
        try
        {
            var a = await ObserveAsync(services, TenantA);
            Assert.Equal(1, a.RawCount);

            // Code that opens the app role's connection by hand (no interceptor) gets the same backend, reset by the pool.
            await using var raw = new NpgsqlConnection(app);
            await raw.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"SELECT pg_backend_pid(), coalesce(current_setting('{TenantConnectionInterceptor.Setting}', true), ''), (SELECT count(*) FROM customers)", raw);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(a.BackendPid, reader.GetInt32(0));
            Assert.Equal("", reader.GetString(1));
            Assert.Equal(0L, reader.GetInt64(2));
        }
        finally
        {
            await using var clear = new NpgsqlConnection(app);
            NpgsqlConnection.ClearPool(clear);
        }
    }

    [Fact]
    public async Task A_context_given_back_with_its_connection_still_open_reaches_the_next_lease_closed_and_closable()
    {
        await using var services = BuildServices(Fixture.Database.ConnectionString);
        CrmDbContext first;
        await using (var scope = services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Resolve(TenantA);
            first = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            await first.Database.OpenConnectionAsync(); // and never closed: an early return, an exception
        }

        await using (var scope = services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Resolve(TenantB);
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            Assert.Same(first, db);
            Assert.Equal(System.Data.ConnectionState.Closed, db.Database.GetDbConnection().State);
            // A request's token check opens it and its release closes it: closed again, not kept open for the lease.
            await db.Database.OpenConnectionAsync();
            await db.Database.CloseConnectionAsync();
            Assert.Equal(System.Data.ConnectionState.Closed, db.Database.GetDbConnection().State);
        }
    }

    /// <summary>The infrastructure as <see cref="PersistenceFixture"/> wires it, over a pooled connection string of its own.</summary>
    private ServiceProvider BuildServices(string ownerConnectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Crm"] = ownerConnectionString })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Fixture.Clock);
        services.AddSingleton(Fixture.User);
        services.AddApplication();
        services.AddInfrastructure(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>One unit of work: what the filtered query, the session setting and an unfiltered count say, and on which backend.</summary>
    private static async Task<Observation> ObserveAsync(ServiceProvider services, Guid? tenantId)
    {
        await using var scope = services.CreateAsyncScope();
        if (tenantId is { } id)
            scope.ServiceProvider.GetRequiredService<TenantContext>().Resolve(id);
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();

        var customers = await db.Customers.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync();
        var pid = (await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").ToListAsync()).Single();
        var setting = (await db.Database.SqlQueryRaw<string>(
            $"SELECT current_setting('{TenantConnectionInterceptor.Setting}', true) AS \"Value\"").ToListAsync()).Single();
        // Row-level security alone: the Tenant filter ignored.
        var raw = await db.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).LongCountAsync();
        return new Observation(pid, setting, customers, raw, db);
    }

    private async Task SeedAsync(Guid tenant, string name)
    {
        await using var scope = Fixture.For(tenant);
        scope.Db.Customers.Add(Customer.Create(tenant, new CustomerDetails(name), CustomerSource.Direct, ownerId: null));
        await scope.Db.SaveChangesAsync();
    }
}
