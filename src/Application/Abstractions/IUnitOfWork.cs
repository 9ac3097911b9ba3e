namespace CrmTenancy.Application.Abstractions;

public interface IUnitOfWork
{
    /// <summary>
    /// In one transaction: publishes the pending domain events (their handlers write in it), writes the integration
    /// events to the outbox, saves once and commits (docs/decisions/0017).
    /// </summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
