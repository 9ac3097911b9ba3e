using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Privacy;

/// <summary>One record a person's erasure redacted: its kind ("contact", "lead") and id.</summary>
public sealed record ErasedRecord(string Kind, Guid Id);

/// <summary>
/// The trace of a person's erasure, kept for accountability: who asked, when, which records were redacted, and a one-way
/// hash of the address asked for (so a repeated request by address is recognised). No personal data.
/// </summary>
public sealed class Erasure : AggregateRoot, ITenantOwned
{
    private Erasure() { SubjectHash = null!; Records = []; }

    public Guid TenantId { get; private set; }
    /// <summary>SHA-256 of the tenant and the normalised address, or of the tenant and the record id asked for.</summary>
    public string SubjectHash { get; private set; }
    public IReadOnlyList<ErasedRecord> Records { get; private set; }
    public int PlatformTagsRemoved { get; private set; }

    /// <summary>
    /// Records an erasure of <paramref name="records"/>, and asks the email platform to drop <paramref name="tags"/> (the
    /// tenant's own, without prefix) from each of the person's <paramref name="emails"/>.
    /// </summary>
    public static Erasure Record(Guid tenantId, string subjectHash, IReadOnlyList<ErasedRecord> records,
        IReadOnlyCollection<string> emails, IReadOnlyList<string> tags)
    {
        var erasure = new Erasure
        {
            TenantId = Guard.Tenant(tenantId),
            SubjectHash = subjectHash,
            Records = records,
            PlatformTagsRemoved = emails.Count * tags.Count,
        };
        foreach (var email in emails)
            erasure.Raise(new PersonErased(erasure.TenantId, erasure.Id, email, tags));
        return erasure;
    }

    /// <summary>The hash an erasure is found by again: SHA-256 over the tenant and what was asked for ("email:ADA@X", "contact:{id}").</summary>
    public static string SubjectHashOf(Guid tenantId, string subject) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{tenantId}:{subject}")));
}

/// <summary>
/// A person was erased: the email platform is told to drop the tenant's tags on the address (under its prefix). Carries
/// the address until the outbox has delivered it; the outbox's retention removes it with the message.
/// </summary>
public sealed record PersonErased(Guid TenantId, Guid ErasureId, string Email, IReadOnlyList<string> Tags) : IIntegrationEvent;
