using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Outbox;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.IntegrationTests.Outbox;

/// <summary>
/// The unit of work's transaction and the transactional outbox: events are written with the change or not at all,
/// and delivered at least once, in each tenant's commit order, as that tenant, to consumers that see each message once.
/// </summary>
public sealed class OutboxTests(PersistenceFixture fixture) : PersistenceTest(fixture), IAsyncLifetime
{
    private DeliveryLog Log => Fixture.Services.GetRequiredService<DeliveryLog>();
    private OutboxDispatcher Dispatcher => Fixture.Services.GetRequiredService<OutboxDispatcher>();

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Log.Clear();
    }

    private async Task<Guid> CreateCustomerAsync(Guid tenant, string name)
    {
        await using var scope = Fixture.For(tenant);
        var customer = Customer.Create(tenant, new CustomerDetails(name), CustomerSource.Direct, null);
        scope.Get<IRepository<Customer>>().Add(customer);
        await scope.Get<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        return customer.Id;
    }

    private async Task<List<OutboxMessage>> MessagesAsync()
    {
        await using var owner = Fixture.Database.Owner();
        return await owner.OutboxMessages.IgnoreQueryFilters([CrmDbContext.TenantFilter]).AsNoTracking()
            .OrderBy(m => m.TenantId).ThenBy(m => m.Sequence).ToListAsync();
    }

    /// <summary>Moves a row's version behind the unit of work's back, as a concurrent request would.</summary>
    private async Task BumpVersionAsync(string table, Guid id)
    {
        await using var owner = Fixture.Database.Owner();
        var sql = table switch
        {
            "customers" => "UPDATE customers SET version = version + 1 WHERE id = {0}",
            "users" => "UPDATE users SET version = version + 1 WHERE id = {0}",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        await owner.Database.ExecuteSqlRawAsync(sql, id);
    }

    [Fact]
    public async Task A_committed_change_writes_its_integration_events_numbered_per_tenant_as_they_are_delivered()
    {
        await CreateCustomerAsync(TenantA, "A one");
        await CreateCustomerAsync(TenantB, "B one");
        await CreateCustomerAsync(TenantA, "A two");

        var written = await MessagesAsync();
        Assert.Equal(3, written.Count);
        Assert.All(written, m => Assert.Equal(nameof(CustomerCreated), m.Type));
        Assert.All(written, m => Assert.Null(m.ProcessedAt));

        await Dispatcher.DispatchAsync(CancellationToken.None);

        var delivered = await MessagesAsync();
        Assert.Equal([1L, 2L], delivered.Where(m => m.TenantId == TenantA).Select(m => m.Sequence));
        Assert.Equal([1L], delivered.Where(m => m.TenantId == TenantB).Select(m => m.Sequence));
    }

    [Fact]
    public async Task Delivery_follows_the_commit_not_the_insert_of_two_interleaved_transactions_of_one_tenant()
    {
        // Two creates of one tenant's customers cannot interleave (the plan counter's row lock queues the second,
        // ADR 0027): the transaction written first and committed last changes a customer's status instead.
        var early = await CreateCustomerAsync(TenantA, "Changed first, committed last");
        await Dispatcher.DispatchAsync(CancellationToken.None);
        Log.Clear();
        Guid late;
        await using (var first = Fixture.For(TenantA))
        {
            await using var transaction = await first.Db.Database.BeginTransactionAsync();
            var customer = await first.Get<IRepository<Customer>>().LoadForChangeAsync(first.Tenant, early, expectedVersion: null, CancellationToken.None);
            customer.ChangeStatus(CustomerStatus.Churned);
            await first.Get<IUnitOfWork>().SaveChangesAsync(CancellationToken.None); // joins the open transaction: not committed

            late = await CreateCustomerAsync(TenantA, "Inserted last, committed first");
            await transaction.CommitAsync();
        }

        await Dispatcher.DispatchAsync(CancellationToken.None);

        Assert.Equal([late, early], Log.Deliveries.Select(d => d.CustomerId));
        Assert.Equal([2L, 3L], Log.Deliveries.Select(d => d.Sequence));
    }

    [Fact]
    public async Task A_change_that_fails_at_save_leaves_no_event()
    {
        var id = await CreateCustomerAsync(TenantA, "A one");
        var before = (await MessagesAsync()).Count;

        await using (var scope = Fixture.For(TenantA))
        {
            var repository = scope.Get<IRepository<Customer>>();
            var customer = await repository.LoadForChangeAsync(scope.Tenant, id, expectedVersion: 1, CancellationToken.None);
            customer.ChangeStatus(CustomerStatus.Churned);
            await BumpVersionAsync("customers", id);
            await Assert.ThrowsAsync<PreconditionFailedException>(() => scope.Get<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        }

        Assert.Equal(before, (await MessagesAsync()).Count);
        Assert.DoesNotContain(await MessagesAsync(), m => m.Type == nameof(CustomerStatusChanged));
    }

    [Fact]
    public async Task A_deactivation_refused_at_save_with_412_has_not_revoked_the_users_refresh_tokens()
    {
        Guid userId;
        await using (var owner = Fixture.Database.Owner())
        {
            var tenant = await owner.Tenants.SingleAsync(t => t.Id == TenantA);
            var user = await TestTenants.AddUserAsync(owner, new TestTenant(TenantA, tenant.Slug, "tenant-a-client", ""), "ann@a.test", UserRole.Member);
            userId = user.Id;
            owner.OidcTokens.Add(new Infrastructure.Identity.Server.CrmToken
            {
                Id = Guid.CreateVersion7(), TenantId = TenantA, Subject = userId.ToString(), Status = "valid", Type = "refresh_token",
                ReferenceId = "hash-" + Guid.NewGuid().ToString("N"), CreationDate = Fixture.Clock.Now.UtcDateTime, ConcurrencyToken = Guid.NewGuid().ToString(),
            });
            await owner.SaveChangesAsync();
        }

        await using (var scope = Fixture.For(TenantA))
        {
            var users = scope.Get<IRepository<User>>();
            var user = await users.LoadForChangeAsync(scope.Tenant, userId, expectedVersion: null, CancellationToken.None);
            users.ExpectVersion(user, user.Version); // the If-Match of the request
            user.Deactivate(Fixture.Clock.Now);
            await BumpVersionAsync("users", userId);
            await Assert.ThrowsAsync<PreconditionFailedException>(() => scope.Get<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        }

        await using var read = Fixture.Database.Owner();
        var tokens = await read.OidcTokens.IgnoreQueryFilters().AsNoTracking().Where(t => t.Subject == userId.ToString()).ToListAsync();
        Assert.Single(tokens);
        Assert.Equal("valid", tokens[0].Status);
    }

    [Fact]
    public async Task The_dispatcher_delivers_each_tenants_events_in_commit_order_as_that_tenant_with_the_consumers_change()
    {
        var a1 = await CreateCustomerAsync(TenantA, "A one");
        var b1 = await CreateCustomerAsync(TenantB, "B one");
        var a2 = await CreateCustomerAsync(TenantA, "A two");
        var a3 = await CreateCustomerAsync(TenantA, "A three");

        var completed = await Dispatcher.DispatchAsync(CancellationToken.None);

        Assert.Equal(4, completed);
        var deliveries = Log.Deliveries.ToList();
        Assert.Equal([a1, a2, a3], deliveries.Where(d => d.EventTenant == TenantA).Select(d => d.CustomerId));
        Assert.Equal([1L, 2L, 3L], deliveries.Where(d => d.EventTenant == TenantA).Select(d => d.Sequence));
        Assert.Equal([b1], deliveries.Where(d => d.EventTenant == TenantB).Select(d => d.CustomerId));
        Assert.All(deliveries, d => Assert.Equal(d.EventTenant, d.ScopeTenant));
        Assert.All(await MessagesAsync(), m => Assert.NotNull(m.ProcessedAt));
        await using var owner = Fixture.Database.Owner();
        var tagged = await owner.Customers.IgnoreQueryFilters().AsNoTracking().Where(c => c.Tags.Contains(RecordingConsumer.Tag)).CountAsync();
        Assert.Equal(4, tagged);
        Assert.Equal(0, await Dispatcher.DispatchAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_consumer_is_retried_after_its_delay_and_later_events_wait_for_it()
    {
        var a1 = await CreateCustomerAsync(TenantA, "A one");
        var a2 = await CreateCustomerAsync(TenantA, "A two");
        Log.FailuresToCome = 1;

        Assert.Equal(0, await Dispatcher.DispatchAsync(CancellationToken.None));

        Assert.Empty(Log.Deliveries);
        var failed = (await MessagesAsync()).First();
        Assert.Equal(1, failed.Attempts);
        Assert.NotNull(failed.LastError);
        Assert.True(failed.NextAttemptAt > Fixture.Clock.Now);
        await using (var owner = Fixture.Database.Owner())
        {
            // The failed delivery's own change was rolled back with it.
            Assert.Equal(0, await owner.Customers.IgnoreQueryFilters().CountAsync(c => c.Tags.Contains(RecordingConsumer.Tag)));
        }
        Assert.Equal(0, await Dispatcher.DispatchAsync(CancellationToken.None)); // not due yet

        Fixture.Clock.Now = Fixture.Clock.Now.AddMinutes(1);
        try
        {
            Assert.Equal(2, await Dispatcher.DispatchAsync(CancellationToken.None));
        }
        finally
        {
            Fixture.Clock.Now = Fixture.Clock.Now.AddMinutes(-1);
        }

        Assert.Equal([a1, a2], Log.Deliveries.Select(d => d.CustomerId));
    }

    [Fact]
    public async Task A_dispatcher_killed_after_its_consumers_committed_delivers_nothing_twice_when_the_batch_runs_again()
    {
        await CreateCustomerAsync(TenantA, "A one");
        await CreateCustomerAsync(TenantA, "A two");
        await CreateCustomerAsync(TenantB, "B one");
        Assert.Equal(3, await Dispatcher.DispatchAsync(CancellationToken.None));

        // The state a kill leaves between a consumer's commit and the message being marked done: not marked.
        await using (var owner = Fixture.Database.Owner())
            await owner.Database.ExecuteSqlRawAsync("UPDATE outbox_messages SET processed_at = NULL");

        Assert.Equal(3, await Dispatcher.DispatchAsync(CancellationToken.None));

        Assert.Equal(3, Log.Deliveries.Count);
        Assert.Equal(3, Log.Deliveries.Select(d => d.MessageId).Distinct().Count());
        Assert.All(await MessagesAsync(), m => Assert.NotNull(m.ProcessedAt));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_set_aside_and_stops_blocking_its_tenant()
    {
        await CreateCustomerAsync(TenantA, "A one");
        var a2 = await CreateCustomerAsync(TenantA, "A two");
        Log.FailuresToCome = 10; // the default MaxAttempts
        var start = Fixture.Clock.Now;
        try
        {
            for (var pass = 0; pass < 10; pass++)
            {
                await Dispatcher.DispatchAsync(CancellationToken.None);
                Fixture.Clock.Now = Fixture.Clock.Now.AddMinutes(10);
            }
        }
        finally
        {
            Fixture.Clock.Now = start;
        }

        var first = (await MessagesAsync()).First();
        Assert.Equal(10, first.Attempts);
        Assert.NotNull(first.DeadAt);
        Assert.Null(first.ProcessedAt);
        Assert.Equal([a2], Log.Deliveries.Select(d => d.CustomerId));
    }
}
