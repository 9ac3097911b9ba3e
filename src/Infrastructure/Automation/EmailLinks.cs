using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// Links in the tenants' emails: the one-click unsubscribe and the open pixel. Each carries the tenant and what it is
/// about sealed with the product's data-protection key (<see cref="ISealedSecrets"/>), so it names nothing in clear,
/// cannot be forged for another address or tenant, and expires (a year).
/// </summary>
public sealed class EmailLinks(ISealedSecrets secrets, IOptions<TokenOptions> options) : IEmailLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private const string UnsubscribeKind = "u";
    private const string OpenKind = "o";

    public string Unsubscribe(Guid tenantId, string email) => Link("unsubscribe", UnsubscribeKind, tenantId, email);

    public string OpenPixel(Guid tenantId, Guid deliveryId) => Link("api/email/opened", OpenKind, tenantId, deliveryId.ToString("N"));

    public (Guid TenantId, string Email)? OpenUnsubscribe(string token) => Open(token, UnsubscribeKind);

    public (Guid TenantId, Guid DeliveryId)? OpenPixelToken(string token) =>
        Open(token, OpenKind) is var (tenant, id) && Guid.TryParseExact(id, "N", out var delivery) ? (tenant, delivery) : null;

    private string Link(string path, string kind, Guid tenantId, string subject) =>
        $"{options.Value.Issuer.TrimEnd('/')}/{path}?token={Uri.EscapeDataString(secrets.Seal($"{kind}:{tenantId:N}:{subject}", Lifetime))}";

    private (Guid, string)? Open(string token, string kind) =>
        secrets.Open(token) is { } opened && opened.Split(':', 3) is [var k, var tenant, var subject] && k == kind
        && Guid.TryParseExact(tenant, "N", out var tenantId)
            ? (tenantId, subject)
            : null;
}
