namespace CrmTenancy.Domain.Common;

/// <summary>
/// A domain event that other modules and background work react to after the change commits (the activity timeline,
/// the change feed, workflow triggers). The unit of work writes it to the transactional outbox in the same
/// transaction as the change; the outbox dispatcher delivers it at least once, in commit order per tenant, to the
/// idempotent consumers of its type. Its type name and JSON shape are stored: rename or reshape one only with care.
/// </summary>
public interface IIntegrationEvent : IDomainEvent;
