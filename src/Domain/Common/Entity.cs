namespace CrmTenancy.Domain.Common;

/// <summary>An entity identified by a time-ordered Guid (v7), so new rows append to the primary key index.</summary>
public abstract class Entity
{
    protected Entity() => Id = Guid.CreateVersion7();

    public Guid Id { get; protected set; }
}
