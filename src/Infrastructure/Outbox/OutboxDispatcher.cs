using System.Collections.Concurrent;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Whether this process runs the dispatcher (every node may; a tenant is dispatched by one at a time).</summary>
    public bool Enabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int BatchSize { get; set; } = 100;
    /// <summary>After this many failed attempts a message is set aside (dead) so it stops blocking its tenant.</summary>
    public int MaxAttempts { get; set; } = 10;
    /// <summary>
    /// How long after its commit a message waits before delivery. Two transactions that commit within microseconds may
    /// become visible in the other order; waiting this long lets both be visible, so their commit order is known.
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Delivers outbox messages to their consumers: at least once, in each tenant's commit order (PostgreSQL's commit
/// timestamps, which needs <c>track_commit_timestamp = on</c>), as that tenant (a fresh job scope per delivery). Each delivery commits the consumer's changes with the record that it happened, so
/// a message delivered again after a crash is skipped by every consumer that already has it. A failing consumer
/// stops its tenant's queue (later messages wait, keeping the order) and is retried with a growing delay, until it
/// is set aside after <see cref="OutboxOptions.MaxAttempts"/>. One dispatcher per tenant at a time, across nodes,
/// by a PostgreSQL advisory lock.
/// </summary>
public sealed class OutboxDispatcher(
    DbContexts contexts, ITenantJobRunner jobs, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxDispatcher> logger)
{
    private static readonly ConcurrentDictionary<Type, ConsumerInvoker> Invokers = new();

    /// <summary>One pass over every tenant with due messages; returns how many messages were completed.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<Guid> tenants;
        await using (var db = contexts.Platform())
        {
            // The platform role reads across tenants (its own policy); it learns only which tenants have work.
            tenants = await db.OutboxMessages.IgnoreQueryFilters([CrmDbContext.TenantFilter])
                .Where(m => m.ProcessedAt == null && m.DeadAt == null && (m.NextAttemptAt == null || m.NextAttemptAt <= now))
                .Select(m => m.TenantId).Distinct().ToListAsync(cancellationToken);
        }
        var completed = 0;
        foreach (var tenant in tenants)
            completed += await jobs.RunAsync(tenant, (services, token) => DispatchTenantAsync(tenant, services, token), cancellationToken);
        return completed;
    }

    private async Task<int> DispatchTenantAsync(Guid tenant, IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<CrmDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        // Closed on every way out (the context goes back to EF Core's pool, which must not get it with the connection
        // still counted as opened).
        try
        {
            var key = LockKey(tenant);
            if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(cancellationToken))
                return 0; // another dispatcher has this tenant now
            try
            {
                var completed = 0;
                var settle = options.Value.SettleTime.TotalSeconds;
                // In commit order: committed rows only are visible, and a transaction still running will commit later than
                // all of them. A transaction's own rows keep the order they were raised in. (A row so old that VACUUM froze
                // its transaction id has no commit timestamp any more: it sorts first.)
                var pending = await db.Database.SqlQuery<PendingMessage>($"""
                    SELECT id AS "Id", tenant_id AS "TenantId", sequence AS "Sequence", type AS "Type", payload AS "Payload",
                           occurred_at AS "OccurredAt", attempts AS "Attempts", next_attempt_at AS "NextAttemptAt"
                    FROM outbox_messages
                    WHERE tenant_id = {tenant} AND processed_at IS NULL AND dead_at IS NULL
                      AND coalesce(committed_at, pg_xact_commit_timestamp(xmin), '-infinity') <= now() - make_interval(secs => {settle})
                    ORDER BY coalesce(committed_at, pg_xact_commit_timestamp(xmin), '-infinity'), position, id
                    LIMIT {options.Value.BatchSize}
                    """).ToListAsync(cancellationToken);
                // Messages nobody consumes are marked done together, in one statement, before the next delivery.
                var unconsumed = new List<Guid>();
                foreach (var message in pending)
                {
                    var now = clock.GetUtcNow();
                    if (message.NextAttemptAt > now)
                        break; // an earlier failure waits for its retry, and everything after it waits too
                    var outcome = await DeliverAsync(db, services, message, unconsumed, cancellationToken);
                    if (outcome != Outcome.Failed)
                    {
                        completed++;
                        continue;
                    }
                    if (message.Attempts + 1 < options.Value.MaxAttempts)
                        break;
                }
                await MarkProcessedAsync(db, unconsumed, cancellationToken);
                return completed;
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({key})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private enum Outcome { Delivered, NoConsumer, Failed }

    /// <summary>
    /// Delivers one message to every consumer of its type (the failure of one is recorded, and the message tried again
    /// later). A message without consumers only joins <paramref name="unconsumed"/>; the earlier ones of that list are
    /// marked done before a delivery, so the tenant's order holds.
    /// </summary>
    private async Task<Outcome> DeliverAsync(
        CrmDbContext db, IServiceProvider services, PendingMessage message, List<Guid> unconsumed, CancellationToken cancellationToken)
    {
        try
        {
            var integrationEvent = IntegrationEventTypes.Deserialize(message.Type, message.Payload);
            var invoker = Invokers.GetOrAdd(integrationEvent.GetType(),
                type => (ConsumerInvoker)Activator.CreateInstance(typeof(ConsumerInvoker<>).MakeGenericType(type))!);
            var consumers = invoker.ConsumerNames(services);
            if (consumers.Count == 0)
            {
                unconsumed.Add(message.Id);
                return Outcome.NoConsumer;
            }
            await MarkProcessedAsync(db, unconsumed, cancellationToken);
            var sequence = message.Sequence ?? await NumberAsync(db, message, cancellationToken);
            var context = new IntegrationEventContext(message.Id, sequence, message.OccurredAt);
            foreach (var consumer in consumers)
                await DeliverToAsync(message, consumer, invoker, integrationEvent, context, cancellationToken);
            await MarkProcessedAsync(db, [message.Id], cancellationToken);
            return Outcome.Delivered;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await MarkProcessedAsync(db, unconsumed, CancellationToken.None);
            await RecordFailureAsync(db, message, exception, cancellationToken);
            return Outcome.Failed;
        }
    }

    /// <summary>The message's number in its tenant's delivery order: the next of the tenant's counter (this dispatcher holds the tenant).</summary>
    private static async Task<long> NumberAsync(CrmDbContext db, PendingMessage message, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<long>($"""
            WITH next AS (UPDATE tenants SET outbox_sequence = outbox_sequence + 1 WHERE id = {message.TenantId} RETURNING outbox_sequence)
            UPDATE outbox_messages SET sequence = (SELECT outbox_sequence FROM next),
                committed_at = coalesce(committed_at, pg_xact_commit_timestamp(xmin))
            WHERE id = {message.Id}
            RETURNING sequence AS "Value"
            """).ToListAsync(cancellationToken)).Single();

    /// <summary>What the dispatcher reads of a pending message.</summary>
    private sealed record PendingMessage(
        Guid Id, Guid TenantId, long? Sequence, string Type, string Payload, DateTimeOffset OccurredAt, int Attempts, DateTimeOffset? NextAttemptAt);

    private async Task MarkProcessedAsync(CrmDbContext db, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return;
        var done = ids.ToArray();
        ids.Clear();
        var now = clock.GetUtcNow();
        await db.OutboxMessages.Where(m => done.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, now), cancellationToken);
    }

    /// <summary>One consumer, in a scope and transaction of its own, together with the record of its delivery.</summary>
    private Task DeliverToAsync(
        PendingMessage message, string consumer, ConsumerInvoker invoker, IIntegrationEvent integrationEvent,
        IntegrationEventContext context, CancellationToken cancellationToken) =>
        jobs.RunAsync(message.TenantId, async (services, token) =>
        {
            var db = services.GetRequiredService<CrmDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            if (await db.OutboxDeliveries.AnyAsync(d => d.MessageId == message.Id && d.Consumer == consumer, token))
                return; // delivered before a crash: nothing twice
            await invoker.InvokeAsync(services, consumer, integrationEvent, context, token);
            db.OutboxDeliveries.Add(OutboxDelivery.Create(message.TenantId, message.Id, consumer, clock.GetUtcNow()));
            await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(token);
            await transaction.CommitAsync(token);
        }, cancellationToken);

    private async Task RecordFailureAsync(CrmDbContext db, PendingMessage message, Exception exception, CancellationToken cancellationToken)
    {
        var attempts = message.Attempts + 1;
        var now = clock.GetUtcNow();
        var backoff = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempts), options.Value.MaxBackoff.TotalSeconds));
        var dead = attempts >= options.Value.MaxAttempts;
        var error = $"{exception.GetType().Name}: {exception.Message}";
        if (error.Length > OutboxMessage.ErrorMaxLength)
            error = error[..OutboxMessage.ErrorMaxLength];
        logger.LogWarning(exception, "Outbox message {MessageId} ({Type}) of tenant {TenantId} failed (attempt {Attempts}{Dead})",
            message.Id, message.Type, message.TenantId, attempts, dead ? ", set aside" : "");
        // Keeps the commit timestamp before this update replaces the row's transaction id (see OutboxMessage.CommittedAt).
        await db.Database.ExecuteSqlAsync($"""
            UPDATE outbox_messages SET attempts = {attempts}, last_error = {error}, next_attempt_at = {now + backoff},
                dead_at = {(dead ? now : null)}, committed_at = coalesce(committed_at, pg_xact_commit_timestamp(xmin))
            WHERE id = {message.Id}
            """, CancellationToken.None);
    }

    /// <summary>A 64-bit advisory lock key per tenant, in a space of its own ("outbox" in the high bits).</summary>
    private static long LockKey(Guid tenant) =>
        (0x6F7574L << 40) ^ (BitConverter.ToInt64(tenant.ToByteArray(), 0) & 0xFF_FFFF_FFFF);

    private abstract class ConsumerInvoker
    {
        public abstract IReadOnlyList<string> ConsumerNames(IServiceProvider services);

        public abstract Task InvokeAsync(
            IServiceProvider services, string consumer, IIntegrationEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken);
    }

    private sealed class ConsumerInvoker<TEvent> : ConsumerInvoker where TEvent : IIntegrationEvent
    {
        public override IReadOnlyList<string> ConsumerNames(IServiceProvider services) =>
            services.GetServices<IIntegrationEventConsumer<TEvent>>().Select(NameOf).ToList();

        public override Task InvokeAsync(
            IServiceProvider services, string consumer, IIntegrationEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
            services.GetServices<IIntegrationEventConsumer<TEvent>>().Single(c => NameOf(c) == consumer)
                .HandleAsync((TEvent)integrationEvent, context, cancellationToken);

        private static string NameOf(IIntegrationEventConsumer<TEvent> consumer) => consumer.GetType().FullName!;
    }
}
