using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Customers;

public sealed record CustomerCreated(Guid TenantId, Guid CustomerId) : IDomainEvent;

public sealed record CustomerStatusChanged(Guid TenantId, Guid CustomerId, CustomerStatus From, CustomerStatus To) : IDomainEvent;

public sealed record CustomerAssigned(Guid TenantId, Guid CustomerId, Guid? AssigneeId) : IDomainEvent;

public sealed record CustomerPurchaseRecorded(Guid TenantId, Guid CustomerId, decimal Amount, DateOnly On) : IDomainEvent;

public sealed record CustomerDeleted(Guid TenantId, Guid CustomerId) : IDomainEvent;
