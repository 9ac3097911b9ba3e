using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Activities;

/// <summary>
/// One entry of the activity timeline: who did what to which record, when. Written from the record's domain events in
/// the transaction of the change, so it exists exactly when the change committed; never changed afterwards, except
/// that it follows its record's owner and assignee (who may see it), and kept when the record is deleted.
/// </summary>
public sealed class Activity : Entity, IOwnedRecord
{
    public const int ActorMaxLength = 200;
    public const int RecordTypeMaxLength = 50;
    public const int ActionMaxLength = 50;
    public const int SummaryMaxLength = 300;
    public const int ValueMaxLength = 100;

    private Activity() { Actor = null!; RecordType = null!; Action = null!; Summary = null!; }

    public Guid TenantId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>Who: <c>user:{id}</c>, <c>client:{client id}</c> for an integration, <c>job</c> for background work.</summary>
    public string Actor { get; private set; }
    /// <summary>The kind of record, camel case: <c>customer</c>, <c>contact</c>, <c>lead</c>, ...</summary>
    public string RecordType { get; private set; }
    public Guid RecordId { get; private set; }
    /// <summary>What happened (<see cref="ActivityActions"/>).</summary>
    public string Action { get; private set; }
    /// <summary>One line a person can read.</summary>
    public string Summary { get; private set; }
    /// <summary>The names of the fields an update changed; empty for other actions.</summary>
    public string[] Fields { get; private set; } = [];
    /// <summary>The value before, for a status change.</summary>
    public string? FromValue { get; private set; }
    /// <summary>The value after: a status, an assignee's id, a tag, an amount.</summary>
    public string? ToValue { get; private set; }
    /// <summary>The record's owner, kept equal to it: record visibility applies to its activities as to the record.</summary>
    public Guid? OwnerId { get; private set; }
    /// <summary>The record's assignee, kept equal to it.</summary>
    public Guid? AssigneeId { get; private set; }
    /// <summary>Whether the record is shared with the tenant, kept equal to it.</summary>
    public bool Shared { get; private set; }

    public static Activity Record(Guid tenantId, string actor, string recordType, Guid recordId, ActivityDescription description,
        IOwnedRecord? owned, DateTimeOffset at) => new()
    {
        TenantId = Guard.Tenant(tenantId),
        OccurredAt = at,
        Actor = Cut(actor, ActorMaxLength)!,
        RecordType = recordType,
        RecordId = recordId,
        Action = description.Action,
        Summary = Cut(description.Summary, SummaryMaxLength)!,
        Fields = description.Fields is { Count: > 0 } fields ? [.. fields] : [],
        FromValue = Cut(description.From, ValueMaxLength),
        ToValue = Cut(description.To, ValueMaxLength),
        OwnerId = owned?.OwnerId,
        AssigneeId = owned?.AssigneeId,
        Shared = owned?.Shared ?? false,
    };

    /// <summary>The record name of an aggregate type: its class name in camel case (<c>Customer</c> is <c>customer</c>).</summary>
    public static string RecordTypeOf(Type aggregate) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(aggregate.Name);

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..(max - 1)] + "…";
}

/// <summary>What an activity says: its action, its line, and the fields or values behind it.</summary>
public sealed record ActivityDescription(string Action, string Summary, IReadOnlyList<string>? Fields = null, string? From = null, string? To = null);

/// <summary>
/// A domain event that is an entry of its record's timeline. The unit of work records it, with the caller and the time,
/// for the aggregate that raised it (<see cref="IActivitySubject"/>); a new module's events only implement this.
/// </summary>
public interface IActivityEvent : IDomainEvent
{
    /// <summary>
    /// The entry, given the record's title as <see cref="IActivitySubject.ActivityTitle"/> says it; none when another
    /// event of the same change is its entry.
    /// </summary>
    ActivityDescription? Describe(string title);
}

/// <summary>An aggregate that has a timeline: its title names it in the summaries.</summary>
public interface IActivitySubject
{
    string ActivityTitle { get; }
}

/// <summary>The actions of the timeline; a module may add its own.</summary>
public static class ActivityActions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string StatusChanged = "statusChanged";
    public const string Assigned = "assigned";
    public const string Tagged = "tagged";
    public const string Untagged = "untagged";
    public const string Converted = "converted";
    public const string Captured = "captured";
    public const string Contacted = "contacted";
    public const string PurchaseRecorded = "purchaseRecorded";
    public const string Linked = "linked";
    public const string Shared = "shared";
    public const string Unshared = "unshared";
    public const string Deleted = "deleted";
}

/// <summary>The names of the fields whose values differ between two snapshots of a record's details (camel case).</summary>
public static class FieldChanges
{
    public static List<string> Between<T>(T before, T after) where T : notnull =>
        Properties<T>.All
            .Where(p => !Equals(p.GetValue(before), p.GetValue(after)))
            .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .ToList();

    private static class Properties<T>
    {
        public static readonly System.Reflection.PropertyInfo[] All =
            typeof(T).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
                .Where(p => p.Name != "EqualityContract").ToArray();
    }
}
