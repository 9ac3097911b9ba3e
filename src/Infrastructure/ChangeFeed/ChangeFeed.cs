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
/// The instance's side of the feed. One connection LISTENs on <see cref="Channel"/>; a notification makes the instance
/// read its tenant's new events once (as that tenant, under row-level security) into the tenant's window of recent
/// events, then wakes the tenant's streams, which take what is new for them from the window, filtered in memory. A
/// stream behind the window (resuming with an old Last-Event-ID, or too slow) reads the table itself until it has caught
/// up. A notification lost while the connection was down costs a heartbeat's delay: a stream that waited a whole
/// heartbeat asks for a read of its tenant.
/// </summary>
public sealed class ChangeFeedHub(DatabaseConnections connections, ITenantJobRunner jobs, ILogger<ChangeFeedHub> logger) : BackgroundService
{
    public const string Channel = "crm_changes";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>How many recent events of a tenant the window keeps.</summary>
    public const int Window = 2_000;

    private readonly ConcurrentDictionary<Guid, TenantFeed> _feeds = new();
    private readonly Lock _gate = new();
    private CancellationToken _stopping;

    /// <summary>How many subscribers this instance serves.</summary>
    public int Subscribers => _feeds.Values.Sum(f => f.Subscribers.Count);

    public Subscription Subscribe(Guid tenantId)
    {
        lock (_gate)
        {
            var feed = _feeds.GetOrAdd(tenantId, id => new TenantFeed(id));
            var subscription = new Subscription(this, feed);
            feed.Subscribers.TryAdd(subscription, true);
            return subscription;
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            var feed = subscription.Feed;
            feed.Subscribers.TryRemove(subscription, out _);
            if (feed.Subscribers.IsEmpty)
                _feeds.TryRemove(new KeyValuePair<Guid, TenantFeed>(feed.TenantId, feed));
        }
    }

    /// <summary>Reads the tenant's new events into its window (one read at a time; a request during one is folded into the next), then wakes its streams.</summary>
    internal void Refresh(TenantFeed feed)
    {
        if (Interlocked.Exchange(ref feed.Requested, 1) == 1)
            return;
        _ = Task.Run(async () =>
        {
            await feed.Reading.WaitAsync(_stopping);
            try
            {
                Interlocked.Exchange(ref feed.Requested, 0);
                await jobs.RunAsync(feed.TenantId, async (services, token) =>
                {
                    var reader = services.GetRequiredService<ChangeFeedReader>();
                    if (!feed.Started)
                        feed.Start(await reader.LatestAsync(token));
                    List<ChangeEvent> batch;
                    do
                    {
                        batch = await reader.AfterAsync(feed.Cursor, null, null, token);
                        feed.Append(batch);
                    }
                    while (batch.Count == ChangeFeedReader.Batch);
                }, _stopping);
            }
            catch (Exception exception) when (!_stopping.IsCancellationRequested)
            {
                logger.LogWarning(exception, "The change feed could not read tenant {Tenant}'s new events; its streams read them themselves.", feed.TenantId);
            }
            finally
            {
                feed.Reading.Release();
            }
            foreach (var subscription in feed.Subscribers.Keys)
                subscription.Wake();
        }, CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connections.Platform);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload.Split(':') is [var tenant, _] && Guid.TryParseExact(tenant, "N", out var tenantId)
                        && _feeds.TryGetValue(tenantId, out var feed))
                        Refresh(feed);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Whatever was notified while no connection listened: every tenant with streams is read once.
                foreach (var feed in _feeds.Values)
                    Refresh(feed);
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

    /// <summary>
    /// A tenant's window of recent events on this instance: it holds every event numbered after <c>coveredAfter</c> up to
    /// <see cref="Cursor"/>, in order; older ones leave it as new ones come.
    /// </summary>
    public sealed class TenantFeed(Guid tenantId)
    {
        private readonly Lock _lock = new();
        private readonly List<ChangeEvent> _events = [];
        private long _coveredAfter;

        public Guid TenantId { get; } = tenantId;
        internal ConcurrentDictionary<Subscription, bool> Subscribers { get; } = new();
        internal SemaphoreSlim Reading { get; } = new(1, 1);
        internal int Requested;
        public bool Started { get; private set; }
        public long Cursor { get; private set; }

        public void Start(long latest)
        {
            lock (_lock)
            {
                Cursor = _coveredAfter = latest;
                Started = true;
            }
        }

        public void Append(List<ChangeEvent> batch)
        {
            if (batch.Count == 0)
                return;
            lock (_lock)
            {
                _events.AddRange(batch);
                Cursor = batch[^1].Sequence;
                if (_events.Count > Window)
                {
                    var drop = _events.Count - Window;
                    _coveredAfter = _events[drop - 1].Sequence;
                    _events.RemoveRange(0, drop);
                }
            }
        }

        /// <summary>The events after <paramref name="last"/> that match, or null when the window does not reach back to it.</summary>
        public List<ChangeEvent>? After(long last, Func<ChangeEvent, bool> matches)
        {
            lock (_lock)
            {
                if (!Started || last < _coveredAfter)
                    return null;
                var found = new List<ChangeEvent>();
                // Newest last: walk back to the first event after last.
                var index = _events.Count;
                while (index > 0 && _events[index - 1].Sequence > last)
                    index--;
                for (; index < _events.Count; index++)
                {
                    if (matches(_events[index]))
                        found.Add(_events[index]);
                }
                return found;
            }
        }
    }

    /// <summary>One open stream: woken when its tenant's window has news; disposing it unsubscribes.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly ChangeFeedHub _hub;
        private readonly Channel<bool> _signal = System.Threading.Channels.Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        internal Subscription(ChangeFeedHub hub, TenantFeed feed)
        {
            _hub = hub;
            Feed = feed;
        }

        internal TenantFeed Feed { get; }

        public Guid TenantId => Feed.TenantId;

        internal void Wake() => _signal.Writer.TryWrite(true);

        /// <summary>The tenant's events after <paramref name="last"/> that match, from the window; null when the stream must read them itself.</summary>
        public List<ChangeEvent>? After(long last, Func<ChangeEvent, bool> matches) => Feed.After(last, matches);

        /// <summary>
        /// Waits until the tenant has news or <paramref name="timeout"/> passes; true when woken. After a whole timeout
        /// the tenant's window is read again (a notification may have been lost).
        /// </summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (!Feed.Started)
                _hub.Refresh(Feed);
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try
            {
                return await _signal.Reader.ReadAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _hub.Refresh(Feed);
                return false;
            }
        }

        public void Dispose() => _hub.Unsubscribe(this);
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

    /// <summary>
    /// What a subscriber may see and asked for: its types, its company, and under owner-only visibility the events of the
    /// records it owns, is assigned or that are shared. One expression for the table's reads and the window's (compiled).
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<ChangeEvent, bool>> Filter(IReadOnlyCollection<string>? types, Guid? companyId, Guid? ownerScope)
    {
        var anyType = types is not { Count: > 0 };
        var kinds = types ?? [];
        var owned = OwnedKinds;
        return e => (anyType || kinds.Contains(e.RecordType))
                    && (companyId == null || e.CompanyId == companyId)
                    && (ownerScope == null || !owned.Contains(e.RecordType) || e.OwnerId == ownerScope || e.AssigneeId == ownerScope || e.Shared);
    }

    public async Task<List<ChangeEvent>> AfterAsync(long last, IReadOnlyCollection<string>? types, Guid? companyId, CancellationToken cancellationToken)
    {
        var query = db.Set<ChangeEvent>().AsNoTracking().Where(e => e.Sequence > last).Where(Filter(types, companyId, tenant.OwnerScope));
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
