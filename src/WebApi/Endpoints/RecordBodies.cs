using System.Text.Json.Serialization;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// Bodies that owned records (customers, leads) share, one type each, so the API document has one schema for each.
/// The assignee is always sent: an id to assign, null to unassign (an empty body is refused, not an unassign).
/// </summary>
public sealed record Assignment([property: JsonRequired] Guid? AssigneeId);

/// <summary>Tags to add to a record.</summary>
public sealed record TagList(IReadOnlyList<string> Tags);
