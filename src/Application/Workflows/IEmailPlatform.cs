namespace CrmTenancy.Application.Workflows;

public sealed record PlatformContact(string Email, IReadOnlyList<string> Tags);

/// <summary>An email for the platform to send, with the tags its open and click events will carry back.</summary>
public sealed record PlatformEmail(string To, string Subject, string TextBody, string HtmlBody, IReadOnlyList<string> Tags, string IdempotencyKey);

/// <summary>
/// An email platform of contacts and tags that knows no tenants (the external one, or the product's own sender).
/// Its tags are raw: <see cref="TenantEmailPlatform"/> is how the product uses it, one tenant at a time.
/// </summary>
public interface IEmailPlatform
{
    Task UpsertContactAsync(string email, IReadOnlyCollection<string> tags, string idempotencyKey, CancellationToken cancellationToken);

    Task RemoveTagAsync(string email, string tag, string idempotencyKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<PlatformContact>> ListContactsByTagAsync(string tag, CancellationToken cancellationToken);

    Task SendAsync(PlatformEmail email, CancellationToken cancellationToken);
}

/// <summary>
/// One tenant's view of a shared email platform, through its tag prefix: every tag written is the prefix plus the tag,
/// every read asks by the prefix and drops what does not carry it, so the same address captured by two tenants is one
/// platform contact with both tenants' tags, and each sees only its own.
/// </summary>
public sealed class TenantEmailPlatform(IEmailPlatform platform, string prefix)
{
    /// <summary>The tag every email a tenant's workflow sends carries, so its events come back to the tenant.</summary>
    public const string AutomationTag = "automation";

    public string Prefix { get; } = Domain.Tenants.TagPrefix.IsWellFormed(prefix) ? prefix : throw new ArgumentException("Not a tenant tag prefix.", nameof(prefix));

    public Task TagAsync(string email, string tag, string idempotencyKey, CancellationToken cancellationToken) =>
        platform.UpsertContactAsync(email, [Prefix + tag], idempotencyKey, cancellationToken);

    public Task UntagAsync(string email, string tag, string idempotencyKey, CancellationToken cancellationToken) =>
        platform.RemoveTagAsync(email, Prefix + tag, idempotencyKey, cancellationToken);

    /// <summary>The tenant's contacts with <paramref name="tag"/>, each with the tenant's tags only (the prefix taken off).</summary>
    public async Task<IReadOnlyList<PlatformContact>> ContactsTaggedAsync(string tag, CancellationToken cancellationToken)
    {
        var wanted = Prefix + tag;
        return [.. (await platform.ListContactsByTagAsync(wanted, cancellationToken))
            .Where(c => c.Tags.Contains(wanted, StringComparer.Ordinal))
            .Select(c => new PlatformContact(c.Email, [.. c.Tags.Where(t => t.StartsWith(Prefix, StringComparison.Ordinal)).Select(t => t[Prefix.Length..])]))];
    }

    public Task SendAsync(string to, string subject, string text, string html, string idempotencyKey, CancellationToken cancellationToken) =>
        platform.SendAsync(new PlatformEmail(to, subject, text, html, [Prefix + AutomationTag], idempotencyKey), cancellationToken);
}
