namespace CrmTenancy.Application.Abstractions;

/// <summary>Whether a record of any tenant-owned type exists for the caller: in their tenant, and visible to them.</summary>
public interface IRecordDirectory
{
    Task<bool> IsVisibleAsync(Type recordType, Guid id, CancellationToken cancellationToken);
}
