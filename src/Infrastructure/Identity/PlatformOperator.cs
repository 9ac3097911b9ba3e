using CrmTenancy.Domain.Users;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// A platform operator's account: no tenant, the PlatformAdmin role. Kept in its own table, which row-level
/// security shows only to connections without a tenant, so no tenant's request can read it.
/// </summary>
public sealed class PlatformOperator : Account
{
    public const string Role = "PlatformAdmin";

    private PlatformOperator() { }

    public static PlatformOperator Create(string email, string displayName)
    {
        var account = new PlatformOperator();
        account.SetIdentity(email, displayName);
        return account;
    }
}
