namespace CrmTenancy.Application.Abstractions;

public interface IUnitOfWork
{
    /// <summary>
    /// Opens the command's transaction before its handler runs, so that its reads and the row locks it takes
    /// (<see cref="IRepository{T}.LockAsync"/>) hold until the save commits.
    /// </summary>
    Task BeginAsync(CancellationToken cancellationToken);

    /// <summary>Ends an open transaction without keeping anything (a handler that failed).</summary>
    Task RollbackAsync();

    /// <summary>
    /// In one transaction: publishes the pending domain events (their handlers write in it), writes the integration
    /// events to the outbox, saves once and commits (docs/decisions/0017).
    /// </summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="exception"/> says the command lost a race it did not ask to be told about: a deadlock, a
    /// serialization failure, or a row changed by another request when no If-Match was given. Its transaction was
    /// rolled back, and running the command again on what is committed now is safe.
    /// </summary>
    bool IsConcurrencyVictim(Exception exception);

    /// <summary>Forgets everything a failed attempt loaded, changed or claimed, so the command can run again afresh.</summary>
    void Reset();
}
