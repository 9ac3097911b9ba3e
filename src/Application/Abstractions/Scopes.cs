namespace CrmTenancy.Application.Abstractions;

/// <summary>The OAuth2 scopes: the API's own, and the OpenID Connect ones the authorization server knows.</summary>
public static class Scopes
{
    public const string Read = "crm.read";
    public const string Write = "crm.write";
    /// <summary>Administration of the caller's own tenant: users, invitations, clients, settings, the audit trail.</summary>
    public const string Admin = "crm.admin";
    /// <summary>
    /// Capture only: a tenant's web forms and landing pages send leads in (<c>POST /api/leads/capture</c>) and can
    /// read or change nothing. Held by clients only; no user's role grants it.
    /// </summary>
    public const string Capture = "crm.capture";
    /// <summary>Platform operators: cross-tenant, read-only, audited. Never granted to a tenant's client or user.</summary>
    public const string Platform = "platform.admin";

    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";
    /// <summary>Asks for a refresh token in the authorization code flow.</summary>
    public const string OfflineAccess = "offline_access";

    /// <summary>The scopes a tenant's client may hold.</summary>
    public static readonly IReadOnlyList<string> Tenant = [Read, Write, Admin, Capture];

    /// <summary>The API scopes, each with an endpoint policy.</summary>
    public static readonly IReadOnlyList<string> All = [Read, Write, Admin, Capture, Platform];

    public static readonly IReadOnlyList<string> Identity = [OpenId, Profile, Email, OfflineAccess];

    /// <summary>Every scope the authorization server knows (published in the discovery document).</summary>
    public static readonly IReadOnlyList<string> Supported = [.. Identity, .. All];
}
