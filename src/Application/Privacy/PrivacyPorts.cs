using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Privacy;

namespace CrmTenancy.Application.Privacy;

/// <summary>A document written straight to the response as it is read from the database, never built in memory.</summary>
public sealed record StreamedDocument(string ContentType, Func<Stream, CancellationToken, Task> WriteAsync);

/// <summary>The personal data the product holds, read and erased in the current tenant (row-level security binds it).</summary>
public interface IPersonalData
{
    /// <summary>
    /// Writes, as one JSON object streamed row by row: the user's account and everything they own, created or are
    /// assigned (customers, contacts, leads, activities, calls, conversations with their messages, templates, workflows).
    /// </summary>
    Task WriteMyDataAsync(Guid userId, Stream output, CancellationToken cancellationToken);

    /// <summary>
    /// Redacts what other rows keep of these people: the messages of their conversations, the notes of their calls, and
    /// the activity entries about them or that name them. Returns the rows changed.
    /// </summary>
    Task<int> RedactTracesAsync(IReadOnlyCollection<Guid> contactIds, IReadOnlyCollection<Guid> leadIds, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken);
}

/// <summary>Links to download a tenant export that work without a token until they expire (the link is the credential).</summary>
public interface IExportLinks
{
    /// <summary>A URL with a protected, time-limited token naming the tenant and the export.</summary>
    string DownloadPath(Guid tenantId, Guid exportId, DateTimeOffset expires);

    /// <summary>The tenant and export a token names, or null when it is not one of ours, was changed or has expired.</summary>
    (Guid TenantId, Guid ExportId)? Open(string? token);
}

/// <summary>The archives of tenant exports, kept next to their rows.</summary>
public interface IExportArchives
{
    /// <summary>Copies the export's archive to <paramref name="output"/> as it is read; false when it has none (yet).</summary>
    Task<bool> CopyToAsync(Guid exportId, Stream output, CancellationToken cancellationToken);
}

public sealed record TenantExportDto(
    Guid Id, ExportState State, DateTimeOffset RequestedAt, string? RequestedBy, DateTimeOffset? CompletedAt, DateTimeOffset? ExpiresAt,
    long? SizeBytes, int? Tables, long? Rows, string? Failure, int Version) : Common.Mapping.IVersioned
{
    public static TenantExportDto From(TenantExport export) =>
        new(export.Id, export.State, export.CreatedAt, export.CreatedBy, export.CompletedAt, export.ExpiresAt,
            export.SizeBytes, export.Tables, export.Rows, export.Failure, export.Version);
}

/// <summary>A download link of a ready export: the URL (its token is the credential) and when it stops working.</summary>
public sealed record DownloadLinkDto(string Url, DateTimeOffset ExpiresAt)
{
    /// <summary>How long a download link is valid (never past the archive's own expiry).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
}

public sealed class TenantExportsSpecification : TenantSpecification<TenantExport>
{
    public TenantExportsSpecification(ITenantContext tenant) : base(tenant) =>
        Query.OrderByDescending(e => e.CreatedAt).Take(50).AsNoTracking();
}

public sealed record ErasureDto(Guid Id, DateTimeOffset ErasedAt, string? ErasedBy, IReadOnlyList<ErasedRecord> Records, int PlatformTagsRemoved, bool AlreadyErased)
{
    public static ErasureDto From(Erasure erasure, bool again) =>
        new(erasure.Id, erasure.CreatedAt, erasure.CreatedBy, erasure.Records, erasure.PlatformTagsRemoved, again);
}

/// <summary>The contacts to erase: by id, or every one with the address; locked for the change.</summary>
public sealed class ContactsToEraseSpecification : TenantSpecification<Contact>, ILocksForChange
{
    public ContactsToEraseSpecification(ITenantContext tenant, Guid? id, string? normalizedEmail) : base(tenant) =>
        Query.Where(c => (id != null && c.Id == id) || (normalizedEmail != null && c.NormalizedEmail == normalizedEmail));
}

/// <summary>The leads to erase: by id, or every one with the address; locked for the change.</summary>
public sealed class LeadsToEraseSpecification : TenantSpecification<Lead>, ILocksForChange
{
    public LeadsToEraseSpecification(ITenantContext tenant, Guid? id, string? normalizedEmail) : base(tenant) =>
        Query.Where(l => (id != null && l.Id == id) || (normalizedEmail != null && l.NormalizedEmail == normalizedEmail));
}

public sealed class ErasureBySubjectSpecification : TenantSpecification<Erasure>
{
    public ErasureBySubjectSpecification(ITenantContext tenant, string subjectHash) : base(tenant) =>
        Query.Where(e => e.SubjectHash == subjectHash).OrderByDescending(e => e.CreatedAt).AsNoTracking();
}

/// <summary>The customers of erased contacts, read for their tags (the platform tags their contacts carry).</summary>
public sealed class CustomersOfErasedSpecification : TenantSpecification<Domain.Customers.Customer>
{
    public CustomersOfErasedSpecification(ITenantContext tenant, IReadOnlyCollection<Guid> ids) : base(tenant) =>
        Query.Where(c => ids.Contains(c.Id)).AsNoTracking();
}
