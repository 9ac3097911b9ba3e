using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Idempotency;
using CrmTenancy.Infrastructure.Outbox;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Saves a command's changes once, in one explicit transaction that also holds what its domain events' in-process
/// handlers wrote (bulk updates included) and the outbox rows of its integration events: all of it commits, or
/// none of it. The transaction behaviour opens it before the handler (<see cref="BeginAsync"/>), so the command's
/// reads and row locks are in it too. Database refusals that callers can cause become typed outcomes (409, 412). Inside a transaction that
/// someone else opened (the outbox dispatcher's delivery), it joins it and leaves the commit to its owner.
/// </summary>
public sealed class UnitOfWork(
    CrmDbContext db, IMediator mediator, Preconditions preconditions, OutboxWriter outbox, OutboxSignal signal, IdempotencyStore idempotency,
    Activities.ActivityRecorder activities)
    : IUnitOfWork
{
    private IDbContextTransaction? _transaction;

    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        // One transaction, one save: EF Core's savepoint around the save would cost a round trip and buy nothing.
        db.Database.AutoSavepointsEnabled = false;
        if (_transaction is not null || db.Database.CurrentTransaction is not null)
            return;
        _transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // A request sent with an Idempotency-Key claims it first, in this transaction: the record exists exactly
            // when the command's effect does, and a duplicate stops here before the handler runs.
            await idempotency.ClaimAsync(cancellationToken);
        }
        catch
        {
            await RollbackAsync();
            throw;
        }
    }

    public bool IsConcurrencyVictim(Exception exception) =>
        exception is ConflictException { Code: ConflictException.ConcurrentUpdate }
        || (exception as PostgresException ?? exception.InnerException as PostgresException) is
            { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    public void Reset()
    {
        db.ChangeTracker.Clear();
        preconditions.Given = false;
        idempotency.Forget();
    }

    public async Task RollbackAsync()
    {
        if (_transaction is null)
            return;
        await _transaction.DisposeAsync();
        _transaction = null;
    }

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            db.Database.AutoSavepointsEnabled = false;
            if (_transaction is null && db.Database.CurrentTransaction is not null)
            {
                await SaveAsync(cancellationToken); // someone else's transaction: its owner commits
                return;
            }
            await BeginAsync(cancellationToken);
            var wroteEvents = await SaveAsync(cancellationToken);
            await _transaction!.CommitAsync(cancellationToken);
            await RollbackAsync(); // only disposes: the transaction is committed
            if (wroteEvents)
                signal.Notify();
        }
        catch (Exception exception)
        {
            await RollbackAsync();
            var translated = Translate(exception);
            if (ReferenceEquals(translated, exception))
                throw;
            throw translated;
        }
    }

    /// <summary>Database refusals that callers can cause, as the outcomes the API answers (409, 412); others unchanged.</summary>
    private Exception Translate(Exception exception)
    {
        switch (exception)
        {
            case DbUpdateConcurrencyException concurrency:
            {
                // 412 answers a precondition the caller sent; a race the caller did not guard against is a 409.
                var resource = concurrency.Entries.FirstOrDefault()?.Metadata.ClrType.Name ?? "resource";
                return preconditions.Given
                    ? new PreconditionFailedException(resource)
                    : new ConflictException(ConflictException.ConcurrentUpdate, $"The {resource.ToLowerInvariant()} was changed at the same time by another request; retry.");
            }
            case DbUpdateException or PostgresException when Plans.PlanLimitFailures.From(exception) is { } limit:
                return limit;
            case DbUpdateException { InnerException: PostgresException postgres } when ConflictFor(postgres) is { } conflict:
                return conflict;
            case PostgresException postgres when ConflictFor(postgres) is { } conflict:
                // Deferred constraints are checked at COMMIT, where the error is not wrapped in a DbUpdateException.
                return conflict;
            default:
                return exception;
        }
    }

    /// <summary>Publishes the domain events, stages the integration events in the outbox, saves; true when any was staged.</summary>
    private async Task<bool> SaveAsync(CancellationToken cancellationToken)
    {
        var integrationEvents = await PublishDomainEventsAsync(cancellationToken);
        outbox.Stage(integrationEvents);
        await db.SaveChangesAsync(cancellationToken);
        return integrationEvents.Count > 0;
    }

    private async Task<List<IIntegrationEvent>> PublishDomainEventsAsync(CancellationToken cancellationToken)
    {
        var integrationEvents = new List<IIntegrationEvent>();
        // Handlers may raise further events; drain until none are left.
        while (true)
        {
            var aggregates = db.ChangeTracker.Entries<AggregateRoot>()
                .Select(e => e.Entity).Where(a => a.DomainEvents.Count > 0).ToList();
            if (aggregates.Count == 0)
                return integrationEvents;
            var raised = aggregates.Select(a => (Aggregate: a, Events: a.DomainEvents.ToList())).ToList();
            aggregates.ForEach(a => a.ClearDomainEvents());
            foreach (var (aggregate, events) in raised)
            {
                // The timeline's entries of this aggregate's events, in the same save (docs/decisions/0021).
                await activities.RecordAsync(aggregate, events, cancellationToken);
                foreach (var domainEvent in events)
                {
                    var notification = (INotification)Activator.CreateInstance(
                        typeof(DomainEventNotification<>).MakeGenericType(domainEvent.GetType()), domainEvent)!;
                    await mediator.Publish(notification, cancellationToken);
                    if (domainEvent is IIntegrationEvent integrationEvent)
                        integrationEvents.Add(integrationEvent);
                }
            }
        }
    }

    private static ConflictException? ConflictFor(PostgresException exception) => exception.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation =>
            ConflictCatalogue.For(exception.ConstraintName).ToException(),
        // A deadlock or serialization failure rolled the whole change back: the caller may simply retry.
        PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure => new ConflictException(ConflictException.ConcurrentUpdate,
            "The change collided with a concurrent one and was rolled back; retry."),
        PostgresErrorCodes.ForeignKeyViolation => new ConflictException("reference",
            "The change refers to a record that no longer exists, or is still referred to by another record."),
        _ => null,
    };
}

/// <summary>Whether the current request sent an If-Match precondition (scoped).</summary>
public sealed class Preconditions
{
    public bool Given { get; set; }
}
