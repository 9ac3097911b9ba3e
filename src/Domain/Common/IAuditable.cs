namespace CrmTenancy.Domain.Common;

/// <summary>Who created and last changed a row, and when, and its version; stamped by the persistence interceptor only.</summary>
public interface IAuditable
{
    DateTimeOffset CreatedAt { get; }
    string? CreatedBy { get; }
    DateTimeOffset? UpdatedAt { get; }
    string? UpdatedBy { get; }

    void StampCreated(DateTimeOffset at, string? by);
    void StampUpdated(DateTimeOffset at, string? by);
}
