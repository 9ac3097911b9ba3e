using CrmTenancy.Application;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Infrastructure;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using CrmTenancy.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

[assembly: AssemblyFixture(typeof(CrmTenancy.IntegrationTests.PersistenceFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CrmTenancy.IntegrationTests;

/// <summary>A stopped clock, so audit stamps can be asserted exactly.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The infrastructure wired as the application wires it, over this assembly's own PostgreSQL database.</summary>
public sealed class PersistenceFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database!;
    public ServiceProvider Services { get; private set; } = null!;
    public FixedClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero));
    public ICurrentUser User { get; } = Substitute.For<ICurrentUser>();

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("integration");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Crm"] = _database.ConnectionString,
                // The tests dispatch right after each commit, one transaction at a time.
                ["Outbox:SettleTime"] = "00:00:00",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(User);
        services.AddApplication();
        services.AddInfrastructure(configuration);
        // A consumer of the outbox for its tests (Outbox/), recording what it was given.
        services.AddSingleton<Outbox.DeliveryLog>();
        services.AddTransient<IIntegrationEventConsumer<CustomerCreated>, Outbox.RecordingConsumer>();
        services.AddTransient<IIntegrationEventConsumer<CustomerStatusChanged>, Outbox.RecordingStatusConsumer>();
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        User.Actor.Returns("user:integration");
    }

    /// <summary>A unit of work in the given tenant (or none), as one request would have it.</summary>
    public Scope For(Guid? tenantId)
    {
        var scope = Services.CreateAsyncScope();
        if (tenantId is { } id)
            scope.ServiceProvider.GetRequiredService<TenantContext>().Resolve(id);
        return new Scope(scope);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }
}

public sealed class Scope(AsyncServiceScope scope) : IAsyncDisposable
{
    public CrmDbContext Db => Get<CrmDbContext>();
    public ITenantContext Tenant => Get<ITenantContext>();

    public T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}

/// <summary>Each test starts from empty tables and two tenants.</summary>
public abstract class PersistenceTest(PersistenceFixture fixture) : IAsyncLifetime
{
    protected PersistenceFixture Fixture { get; } = fixture;
    protected Guid TenantA { get; private set; }
    protected Guid TenantB { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await Fixture.Database.ResetAsync();
        await using var owner = Fixture.Database.Owner();
        TenantA = (await TestTenants.AddAsync(owner, "tenant-a")).Id;
        TenantB = (await TestTenants.AddAsync(owner, "tenant-b")).Id;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
