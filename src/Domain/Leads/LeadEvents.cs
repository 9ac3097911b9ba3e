using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Leads;

public sealed record LeadCreated(Guid TenantId, Guid LeadId) : IIntegrationEvent;

/// <summary>An open lead's person was sent in again by a capture (from <paramref name="Source"/>).</summary>
public sealed record LeadRecaptured(Guid TenantId, Guid LeadId, LeadSource Source) : IIntegrationEvent;

public sealed record LeadStatusChanged(Guid TenantId, Guid LeadId, LeadStatus From, LeadStatus To, string? LostReason) : IIntegrationEvent;

public sealed record LeadAssigned(Guid TenantId, Guid LeadId, Guid? AssigneeId) : IIntegrationEvent;

public sealed record LeadConverted(Guid TenantId, Guid LeadId, Guid CustomerId) : IIntegrationEvent;

public sealed record LeadDeleted(Guid TenantId, Guid LeadId) : IIntegrationEvent;
