using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// A recipient's one-click link to stop a tenant's emails: the tenant and the address sealed with the product's
/// data-protection key (so the link names neither in clear and cannot be forged for another address), valid a year.
/// </summary>
public sealed class UnsubscribeLinks(ISealedSecrets secrets, IOptions<TokenOptions> options) : IUnsubscribeLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public string For(Guid tenantId, string email) =>
        $"{options.Value.Issuer.TrimEnd('/')}/unsubscribe?token={Uri.EscapeDataString(secrets.Seal($"{tenantId:N}:{email}", Lifetime))}";

    /// <summary>The tenant and address a token names, or null when it is not one of ours or has expired.</summary>
    public (Guid TenantId, string Email)? Open(string token) =>
        secrets.Open(token) is { } opened && opened.Split(':', 2) is [var tenant, var email] && Guid.TryParseExact(tenant, "N", out var tenantId)
            ? (tenantId, email)
            : null;
}
