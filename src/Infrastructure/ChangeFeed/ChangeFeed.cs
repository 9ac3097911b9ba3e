using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CrmTenancy.Infrastructure.ChangeFeed;

/// <summary>
/// One change of a tenant's record as the change feed carries it: numbered by the outbox's delivery sequence (the
/// tenant's commit order), with what a subscriber filters by (record type, company, owner, assignee, shared).
/// </summary>
public sealed class ChangeEvent : ITenantOwned
{
    private ChangeEvent() { RecordType = null!; Action = null!; Type = null!; }

    public Guid TenantId { get; private set; }
    public long Sequence { get; private set; }
    public string Type { get; private set; }
    public string RecordType { get; private set; }
    public Guid RecordId { get; private set; }
    public string Action { get; private set; }
    public string? Actor { get; private set; }
    public int? Version { get; private set; }
    public Guid? CompanyId { get; private set; }
    public Guid? OwnerId { get; private set; }
    public Guid? AssigneeId { get; private set; }
    public bool Shared { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }

    public static ChangeEvent Of(Guid tenantId, long sequence, string type, RecordChange change, RecordState? state, DateTimeOffset occurredAt) => new()
    {
        TenantId = tenantId, Sequence = sequence, Type = type, RecordType = change.RecordType, RecordId = change.RecordId, Action = change.Action,
        Actor = state?.Actor, Version = state?.Version, CompanyId = state?.CompanyId, OwnerId = state?.OwnerId, AssigneeId = state?.AssigneeId,
        Shared = state?.Shared ?? false, OccurredAt = occurredAt,
    };
}

/// <summary>Which record an integration event is about: its kind, id, and what happened ("created", "statusChanged").</summary>
public sealed record RecordChange(string RecordType, Guid RecordId, string Action)
{
    /// <summary>The record kinds of the feed, by the class-name prefix of their events, with their tables.</summary>
    public static readonly IReadOnlyList<(string Kind, string Table)> Kinds =
    [
        ("EmailTemplate", "email_templates"), ("Conversation", "conversations"), ("Customer", "customers"), ("Contact", "contacts"),
        ("Campaign", "campaigns"), ("Company", "companies"), ("Workflow", "workflows"), ("Lead", "leads"), ("Call", "calls"),
        ("User", "users"),
    ];

    /// <summary>
    /// The record an event names by convention (<c>CustomerStatusChanged</c> with a <c>CustomerId</c>): none for events
    /// about no single record of these kinds (an export, an erasure), which the feed does not carry.
    /// </summary>
    public static RecordChange? Of(IIntegrationEvent integrationEvent)
    {
        var name = integrationEvent.GetType().Name;
        foreach (var (kind, _) in Kinds)
        {
            if (!name.StartsWith(kind, StringComparison.Ordinal) || name.Length == kind.Length)
                continue;
            var property = integrationEvent.GetType().GetProperty(kind + "Id");
            if (property?.GetValue(integrationEvent) is not Guid id)
                return null;
            var action = name[kind.Length..];
            return new RecordChange(JsonNamingPolicy.CamelCase.ConvertName(kind), id, JsonNamingPolicy.CamelCase.ConvertName(action));
        }
        return null;
    }

    public static string TableOf(string recordType) =>
        Kinds.First(k => JsonNamingPolicy.CamelCase.ConvertName(k.Kind) == recordType).Table;
}

/// <summary>The record as it stands when its change is recorded: who changed it last, its version, company and owners.</summary>
public sealed record RecordState(string? Actor, int? Version, Guid? CompanyId, Guid? OwnerId, Guid? AssigneeId, bool Shared);

/// <summary>
/// Records every record change for the feed, as an outbox consumer of every integration event: after the change
/// committed, in the tenant's delivery order (its sequence is the feed's event id), in the delivery's transaction,
/// which also notifies every instance (<c>pg_notify</c> is sent at commit). Old entries past the retention go as new
/// ones come.
/// </summary>
public sealed class ChangeFeedRecorder<TEvent>(CrmDbContext db, ITenantContext tenant) : IIntegrationEventConsumer<TEvent>
    where TEvent : IIntegrationEvent
{
    public async Task HandleAsync(TEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        if (RecordChange.Of(integrationEvent) is not { } change)
            return;
        // The table is one of RecordChange.Kinds' fixed names, never input.
        var sql = $$"""
            SELECT coalesce(j->>'updated_by', j->>'created_by') AS "Actor", (j->>'version')::int AS "Version",
                   (j->>'company_id')::uuid AS "CompanyId", (j->>'owner_id')::uuid AS "OwnerId", (j->>'assignee_id')::uuid AS "AssigneeId",
                   coalesce((j->>'shared')::boolean, false) AS "Shared"
            FROM (SELECT to_jsonb(t) AS j FROM {{RecordChange.TableOf(change.RecordType)}} t WHERE t.id = {0}) r
            """;
        var state = await db.Database.SqlQueryRaw<RecordState>(sql, change.RecordId).FirstOrDefaultAsync(cancellationToken);
        db.Add(ChangeEvent.Of(tenant.TenantId, context.Sequence, typeof(TEvent).Name, change, state, context.OccurredAt));
        await db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", [ChangeFeedHub.Channel, $"{tenant.TenantId:N}:{context.Sequence}"], cancellationToken);
        if (context.Sequence % 200 == 0)
            await db.Database.ExecuteSqlRawAsync("DELETE FROM change_events WHERE tenant_id = {0} AND occurred_at < {1}",
                [tenant.TenantId, DateTimeOffset.UtcNow - ChangeFeedHub.Retention], cancellationToken);
    }
}

/// <summary>
/// The instance's side of the feed: one connection LISTENs on <see cref="Channel"/> and wakes this instance's
/// subscribers of the tenant a notification names; they read what is new themselves, so a notification lost while the
/// connection was down costs only a heartbeat's delay (every subscriber also looks on each heartbeat).
/// </summary>
public sealed class ChangeFeedHub(DatabaseConnections connections, ILogger<ChangeFeedHub> logger) : BackgroundService
{
    public const string Channel = "crm_changes";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, bool>> _subscribers = new();

    /// <summary>How many subscribers this instance serves (the benchmark reads it).</summary>
    public int Subscribers => _subscribers.Values.Sum(s => s.Count);

    public Subscription Subscribe(Guid tenantId)
    {
        var subscription = new Subscription(this, tenantId);
        _subscribers.GetOrAdd(tenantId, _ => new()).TryAdd(subscription, true);
        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        if (_subscribers.TryGetValue(subscription.TenantId, out var set))
            set.TryRemove(subscription, out _);
    }

    private void Wake(Guid tenantId)
    {
        if (_subscribers.TryGetValue(tenantId, out var set))
            foreach (var subscription in set.Keys)
                subscription.Wake();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connections.Platform);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload.Split(':') is [var tenant, _] && Guid.TryParseExact(tenant, "N", out var tenantId))
                        Wake(tenantId);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Whatever was notified while no connection listened: every subscriber looks once.
                foreach (var tenant in _subscribers.Keys)
                    Wake(tenant);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "The change feed's listening connection failed; listening again in 2 s.");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One open stream: woken when its tenant has news; disposing it unsubscribes.</summary>
    public sealed class Subscription(ChangeFeedHub hub, Guid tenantId) : IDisposable
    {
        private readonly Channel<bool> _signal = System.Threading.Channels.Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public Guid TenantId { get; } = tenantId;

        internal void Wake() => _signal.Writer.TryWrite(true);

        /// <summary>Waits until the tenant has news or <paramref name="timeout"/> passes; true when woken.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try
            {
                return await _signal.Reader.ReadAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        public void Dispose() => hub.Unsubscribe(this);
    }
}

public sealed class ChangeFeedServices : IServiceModule
{
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<ChangeFeedHub>();
        services.AddScoped<ChangeFeedReader>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeFeedHub>());
        // Every integration event: the recorder keeps those about a record.
        services.AddTransient(typeof(IIntegrationEventConsumer<>), typeof(ChangeFeedRecorder<>));
    }
}

/// <summary>A subscriber's read of what is new: after its last event, in order, filtered by kind, company and visibility.</summary>
public sealed class ChangeFeedReader(CrmDbContext db, ITenantContext tenant)
{
    public const int Batch = 500;

    /// <summary>The record kinds whose rows people own (record visibility applies to their events).</summary>
    private static readonly string[] OwnedKinds = typeof(IOwnedRecord).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IOwnedRecord).IsAssignableFrom(t))
        .Select(t => JsonNamingPolicy.CamelCase.ConvertName(t.Name)).ToArray();

    public static IReadOnlyList<string> RecordTypes { get; } = RecordChange.Kinds.Select(k => JsonNamingPolicy.CamelCase.ConvertName(k.Kind)).Order().ToList();

    /// <summary>The newest event's number: a subscriber without Last-Event-ID starts after it.</summary>
    public async Task<long> LatestAsync(CancellationToken cancellationToken) =>
        await db.Set<ChangeEvent>().AsNoTracking().MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;

    public async Task<List<ChangeEvent>> AfterAsync(long last, IReadOnlyCollection<string>? types, Guid? companyId, CancellationToken cancellationToken)
    {
        var query = db.Set<ChangeEvent>().AsNoTracking().Where(e => e.Sequence > last);
        if (types is { Count: > 0 })
            query = query.Where(e => types.Contains(e.RecordType));
        if (companyId is { } company)
            query = query.Where(e => e.CompanyId == company);
        if (tenant.OwnerScope is { } user)
            query = query.Where(e => !OwnedKinds.Contains(e.RecordType) || e.OwnerId == user || e.AssigneeId == user || e.Shared);
        // Each read opens the connection and gives it back (the request's own was released when the stream started):
        // a stream that lives for hours holds none between reads.
        return await query.OrderBy(e => e.Sequence).Take(Batch).ToListAsync(cancellationToken);
    }
}

public sealed class ChangeEventConfiguration : Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<ChangeEvent>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<ChangeEvent> builder)
    {
        builder.ToTable("change_events");
        builder.HasKey(e => new { e.TenantId, e.Sequence });
        builder.Property(e => e.Type).HasMaxLength(100).IsRequired();
        builder.Property(e => e.RecordType).HasMaxLength(32).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Actor).HasMaxLength(FieldLengths.Actor);
        builder.HasIndex(e => new { e.TenantId, e.OccurredAt });
        builder.HasOne<Domain.Tenants.Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
