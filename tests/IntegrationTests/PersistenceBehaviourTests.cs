using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using Microsoft.EntityFrameworkCore;
using Npgsql;

using CrmTenancy.IntegrationTests.Identity;

namespace CrmTenancy.IntegrationTests;

public sealed class PersistenceBehaviourTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    [Fact]
    public async Task The_interceptor_stamps_created_and_updated_from_the_clock_and_the_caller()
    {
        var created = Fixture.Clock.Now = new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);
        Guid id;
        await using (var scope = Fixture.For(TenantA))
        {
            var customer = Customer.Create(TenantA, new CustomerDetails("Stamped"), CustomerSource.Web, ownerId: null);
            id = customer.Id;
            scope.Db.Customers.Add(customer);
            await scope.Db.SaveChangesAsync();
        }
        var updated = Fixture.Clock.Now = created.AddHours(3);
        await using (var scope = Fixture.For(TenantA))
        {
            var customer = await scope.Db.Customers.SingleAsync(c => c.Id == id);
            customer.ChangeStatus(CustomerStatus.Inactive);
            await scope.Db.SaveChangesAsync();
        }

        await using var read = Fixture.For(TenantA);
        var stored = await read.Db.Customers.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(created, stored.CreatedAt);
        Assert.Equal("user:integration", stored.CreatedBy);
        Assert.Equal(updated, stored.UpdatedAt);
        Assert.Equal("user:integration", stored.UpdatedBy);
    }

    [Fact]
    public async Task The_interceptor_refuses_to_add_a_row_of_another_tenant_and_nothing_is_written()
    {
        await using (var scope = Fixture.For(TenantA))
        {
            scope.Db.Customers.Add(Customer.Create(TenantA, new CustomerDetails("Mine"), CustomerSource.Web, null));
            scope.Db.Customers.Add(Customer.Create(TenantB, new CustomerDetails("Planted"), CustomerSource.Web, null));
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => scope.Db.SaveChangesAsync());
        }
        await using var check = Fixture.For(TenantB);
        Assert.Equal(0, await check.Db.Customers.CountAsync());
        await using var checkA = Fixture.For(TenantA);
        Assert.Equal(0, await checkA.Db.Customers.CountAsync());
    }

    [Fact]
    public async Task The_interceptor_refuses_tenant_owned_writes_without_a_tenant()
    {
        await using var scope = Fixture.For(null);
        scope.Db.Customers.Add(Customer.Create(TenantA, new CustomerDetails("Orphan"), CustomerSource.Web, null));
        await Assert.ThrowsAsync<CrossTenantWriteException>(() => scope.Db.SaveChangesAsync());
    }

    [Fact]
    public async Task The_named_tenant_filter_binds_each_contexts_own_tenant_in_one_process()
    {
        await using (var a = Fixture.For(TenantA))
        {
            a.Db.Customers.Add(Customer.Create(TenantA, new CustomerDetails("Row of A"), CustomerSource.Web, null));
            await a.Db.SaveChangesAsync();
        }
        await using (var b = Fixture.For(TenantB))
        {
            b.Db.Customers.Add(Customer.Create(TenantB, new CustomerDetails("Row of B"), CustomerSource.Web, null));
            await b.Db.SaveChangesAsync();
        }

        // The same DbContext type and model, queried first as A, then as B, then as A again: no first-tenant-wins caching.
        foreach (var (tenant, expected) in new[] { (TenantA, "Row of A"), (TenantB, "Row of B"), (TenantA, "Row of A") })
        {
            await using var scope = Fixture.For(tenant);
            Assert.Equal([expected], await scope.Db.Customers.Select(c => c.Name).ToListAsync());
        }
        await using var none = Fixture.For(null);
        Assert.Empty(await none.Db.Customers.ToListAsync());
        // Ignoring the filter on the application role still shows nothing: row-level security has no tenant either.
        Assert.Equal(0, await none.Db.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).CountAsync());
        await using var owner = Fixture.Database.Owner();
        Assert.Equal(2, await owner.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).CountAsync());
    }

    [Fact]
    public async Task A_duplicate_contact_email_that_slips_past_the_handler_becomes_a_conflict()
    {
        await using var scope = Fixture.For(TenantA);
        scope.Db.Contacts.Add(Contact.Create(TenantA, new ContactDetails("One", "Person", "same@example.com"), null));
        scope.Db.Contacts.Add(Contact.Create(TenantA, new ContactDetails("Two", "Person", "SAME@example.com"), null));
        var conflict = await Assert.ThrowsAsync<ConflictException>(() => scope.Get<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        Assert.Contains("email", conflict.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_concurrent_change_fails_the_stale_save_with_412_if_the_caller_sent_if_match_else_409(bool ifMatchSent)
    {
        Guid id;
        await using (var scope = Fixture.For(TenantA))
        {
            var customer = Customer.Create(TenantA, new CustomerDetails("Contended"), CustomerSource.Web, null);
            id = customer.Id;
            scope.Db.Customers.Add(customer);
            await scope.Db.SaveChangesAsync();
        }
        await using var first = Fixture.For(TenantA);
        await using var second = Fixture.For(TenantA);
        var mine = await first.Db.Customers.SingleAsync(c => c.Id == id);
        var theirs = await second.Db.Customers.SingleAsync(c => c.Id == id);
        Assert.Equal(1, mine.Version);
        if (ifMatchSent)
            first.Get<IRepository<Customer>>().ExpectVersion(mine, mine.Version);

        theirs.AddTags(["theirs"]);
        await second.Get<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        Assert.Equal(2, theirs.Version);
        mine.AddTags(["mine"]);
        var save = first.Get<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        if (ifMatchSent)
            await Assert.ThrowsAsync<PreconditionFailedException>(() => save);
        else
            Assert.Equal("concurrent-update", (await Assert.ThrowsAsync<ConflictException>(() => save)).Code);
    }

    [Fact]
    public async Task The_database_refuses_a_contact_pointing_at_another_tenants_customer()
    {
        Guid customerOfB;
        await using (var b = Fixture.For(TenantB))
        {
            var customer = Customer.Create(TenantB, new CustomerDetails("B's"), CustomerSource.Web, null);
            customerOfB = customer.Id;
            b.Db.Customers.Add(customer);
            await b.Db.SaveChangesAsync();
        }
        // Past every application lock: raw SQL straight into the table.
        await using var connection = new NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO contacts (id, tenant_id, first_name, last_name, type, customer_id, is_primary, created_at) " +
            "VALUES (gen_random_uuid(), @tenant, 'x', 'y', 'Other', @customer, false, now())", connection);
        insert.Parameters.AddWithValue("tenant", TenantA);
        insert.Parameters.AddWithValue("customer", customerOfB);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
    }

    [Fact]
    public async Task The_signing_key_is_generated_once_and_survives_a_new_store()
    {
        var source = SigningKeySources.Database(Fixture.Services, Fixture.Clock);
        var first = await new SigningKeyStore(source, Fixture.Clock, Microsoft.Extensions.Options.Options.Create(new TokenOptions())).CurrentAsync(CancellationToken.None);
        var second = await new SigningKeyStore(source, Fixture.Clock, Microsoft.Extensions.Options.Options.Create(new TokenOptions())).CurrentAsync(CancellationToken.None);
        Assert.Equal(first.KeyId, second.KeyId);
        await using var scope = Fixture.For(null);
        Assert.Equal(1, await scope.Db.SigningKeys.CountAsync());
    }
}

internal static class ServiceProviderExtensions
{
    public static Microsoft.Extensions.DependencyInjection.IServiceScopeFactory GetRequiredServiceScopeFactory(this IServiceProvider services) =>
        (Microsoft.Extensions.DependencyInjection.IServiceScopeFactory)services.GetService(typeof(Microsoft.Extensions.DependencyInjection.IServiceScopeFactory))!;
}
