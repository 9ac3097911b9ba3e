namespace CrmTenancy.Application.Abstractions;

/// <summary>The OAuth2 scopes of the API.</summary>
public static class Scopes
{
    public const string Read = "crm.read";
    public const string Write = "crm.write";
    /// <summary>Administration of the caller's own tenant (its audit trail now; users and clients later).</summary>
    public const string Admin = "crm.admin";
    /// <summary>Platform operators: cross-tenant, read-only, audited. Never granted to a tenant's client.</summary>
    public const string Platform = "platform.admin";

    /// <summary>The scopes a tenant's client may hold.</summary>
    public static readonly IReadOnlyList<string> Tenant = [Read, Write, Admin];

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin, Platform];
}
