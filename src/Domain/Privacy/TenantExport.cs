using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Privacy;

public enum ExportState
{
    Pending,
    Ready,
    Failed,
    /// <summary>Past <see cref="TenantExport.ExpiresAt"/>: the archive was deleted; the record of the export stays.</summary>
    Expired,
}

/// <summary>
/// A tenant administrator's request for the whole tenant's data: produced in the background as a zip of one NDJSON file
/// per table, kept until <see cref="ExpiresAt"/> (then the archive is deleted and the export is <see cref="ExportState.Expired"/>),
/// and downloaded through a link that is valid for a limited time.
/// </summary>
public sealed class TenantExport : AggregateRoot, ITenantOwned
{
    /// <summary>How long a ready archive is kept (and how long its download links can live at most).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private TenantExport() { }

    public Guid TenantId { get; private set; }
    public ExportState State { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public long? SizeBytes { get; private set; }
    public int? Tables { get; private set; }
    public long? Rows { get; private set; }
    public string? Failure { get; private set; }

    public static TenantExport Request(Guid tenantId)
    {
        var export = new TenantExport { TenantId = Guard.Tenant(tenantId), State = ExportState.Pending };
        export.Raise(new TenantExportRequested(export.TenantId, export.Id));
        return export;
    }

    public void Complete(long sizeBytes, int tables, long rows, DateTimeOffset now) =>
        (State, SizeBytes, Tables, Rows, CompletedAt, ExpiresAt) = (ExportState.Ready, sizeBytes, tables, rows, now, now + Retention);

    public void Fail(string reason, DateTimeOffset now) =>
        (State, Failure, CompletedAt) = (ExportState.Failed, reason.Length > 500 ? reason[..500] : reason, now);

    public bool IsDownloadable(DateTimeOffset now) => State == ExportState.Ready && ExpiresAt > now;
}

/// <summary>An export was asked for: the background producer picks it up once the request has committed.</summary>
public sealed record TenantExportRequested(Guid TenantId, Guid ExportId) : IIntegrationEvent;
