namespace CrmTenancy.Application.Abstractions;

public interface IUnitOfWork
{
    /// <summary>Publishes the pending domain events (their handlers write in the same transaction), then saves once.</summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
