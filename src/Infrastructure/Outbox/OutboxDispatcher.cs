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
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Delivers outbox messages to their consumers: at least once, in each tenant's commit order, as that tenant (a
/// fresh job scope per delivery). Each delivery commits the consumer's changes with the record that it happened, so
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
                .Where(m => m.ProcessedAt == null && m.DeadAt == null && m.Sequence != null && (m.NextAttemptAt == null || m.NextAttemptAt <= now))
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
        var key = LockKey(tenant);
        if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(cancellationToken))
            return 0; // another dispatcher has this tenant now
        try
        {
            var completed = 0;
            var pending = await db.OutboxMessages.AsNoTracking()
                .Where(m => m.ProcessedAt == null && m.DeadAt == null && m.Sequence != null)
                .OrderBy(m => m.Sequence).Take(options.Value.BatchSize).ToListAsync(cancellationToken);
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
        CrmDbContext db, IServiceProvider services, OutboxMessage message, List<Guid> unconsumed, CancellationToken cancellationToken)
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
            var context = new IntegrationEventContext(message.Id, message.Sequence!.Value, message.OccurredAt);
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
        OutboxMessage message, string consumer, ConsumerInvoker invoker, IIntegrationEvent integrationEvent,
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

    private async Task RecordFailureAsync(CrmDbContext db, OutboxMessage message, Exception exception, CancellationToken cancellationToken)
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
        await db.OutboxMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.NextAttemptAt, now + backoff)
            .SetProperty(m => m.DeadAt, dead ? now : null), CancellationToken.None);
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
