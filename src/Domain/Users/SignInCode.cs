using System.Security.Cryptography;
using System.Text;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Users;

/// <summary>
/// A one-time code that signs a user in instead of a password (tenants that allow it): six digits sent by email,
/// valid for <see cref="Lifetime"/>, used once, refused after <see cref="MaxAttempts"/> wrong tries. Only a hash of it
/// is kept, salted with the code's own id.
/// </summary>
public sealed class SignInCode : ITenantOwned
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public const int MaxAttempts = 5;
    public const int Digits = 6;
    /// <summary>Codes an account may be sent within one <see cref="Lifetime"/>: more requests send nothing.</summary>
    public const int MaxPerLifetime = 3;

    private SignInCode() { CodeHash = null!; }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid UserId { get; private set; }
    public string CodeHash { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }

    /// <summary>A new code for the user: the entity to store, and the code itself for the email (never stored).</summary>
    public static (SignInCode Entity, string Code) Issue(Guid tenantId, Guid userId, DateTimeOffset now)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var entity = new SignInCode { Id = Guid.CreateVersion7(), TenantId = Guard.Tenant(tenantId), UserId = userId, CreatedAt = now, ExpiresAt = now + Lifetime };
        entity.CodeHash = entity.Hash(code);
        return (entity, code);
    }

    public bool IsUsable(DateTimeOffset now) => UsedAt is null && ExpiresAt > now && Attempts < MaxAttempts;

    /// <summary>Uses the code if <paramref name="code"/> is it and it is still usable; a wrong code counts as an attempt.</summary>
    public bool TryUse(string code, DateTimeOffset now)
    {
        if (!IsUsable(now))
            return false;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(code)), Encoding.ASCII.GetBytes(CodeHash)))
        {
            Attempts++;
            return false;
        }
        UsedAt = now;
        return true;
    }

    private string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Id:N}:{code}")));
}
