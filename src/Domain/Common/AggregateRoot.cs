namespace CrmTenancy.Domain.Common;

/// <summary>
/// The consistency boundary: changes go through its methods, which refuse illegal states and
/// record domain events that the unit of work publishes inside the same transaction.
/// </summary>
public abstract class AggregateRoot : Entity, IAuditable
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public IReadOnlyCollection<IDomainEvent> DomainEvents => _domainEvents.AsReadOnly();

    /// <summary>
    /// The row's own change counter: 1 when created, one more per saved change. It is the concurrency token and
    /// the ETag; unlike PostgreSQL's xmin it tells nothing about other tenants' activity.
    /// </summary>
    public int Version { get; private set; }

    /// <summary>The version a row has once its creation is saved.</summary>
    public const int InitialVersion = 1;

    public DateTimeOffset CreatedAt { get; private set; }
    public string? CreatedBy { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    public void ClearDomainEvents() => _domainEvents.Clear();

    void IAuditable.StampCreated(DateTimeOffset at, string? by)
    {
        CreatedAt = at;
        CreatedBy = by;
        Version = InitialVersion;
    }

    void IAuditable.StampUpdated(DateTimeOffset at, string? by)
    {
        UpdatedAt = at;
        UpdatedBy = by;
        Version++;
    }
}
