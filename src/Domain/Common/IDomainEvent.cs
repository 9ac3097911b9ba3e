namespace CrmTenancy.Domain.Common;

/// <summary>Something that happened to an aggregate; carries the tenant so handlers never lose it.</summary>
public interface IDomainEvent
{
    Guid TenantId { get; }
}
