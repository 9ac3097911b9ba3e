using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Customers;

public sealed record CustomerCreated(Guid TenantId, Guid CustomerId) : IIntegrationEvent;

public sealed record CustomerStatusChanged(Guid TenantId, Guid CustomerId, CustomerStatus From, CustomerStatus To) : IIntegrationEvent;

public sealed record CustomerAssigned(Guid TenantId, Guid CustomerId, Guid? AssigneeId) : IIntegrationEvent;

public sealed record CustomerPurchaseRecorded(Guid TenantId, Guid CustomerId, decimal Amount, DateOnly On) : IIntegrationEvent;

public sealed record CustomerDeleted(Guid TenantId, Guid CustomerId) : IIntegrationEvent;
