using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CrmTenancy.Application.Common.Security;

/// <summary>
/// Opaque secrets handed to callers (refresh tokens, authorization codes, invitation tokens): the tenant they
/// belong to, then 256 random bits, as <c>{tenant:N}.{base64url}</c> (32 zeros for none). Only the SHA-256 hash is
/// stored. The server reads the tenant first and looks the hash up under that tenant's row-level security, so a
/// lookup never crosses tenants; an edited prefix finds nothing, exactly like an unknown handle.
/// </summary>
public static class OpaqueHandle
{
    public const int MaxLength = 32 + 1 + 43;

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static (string Handle, string Hash) Create(Guid? tenantId)
    {
        var handle = $"{(tenantId ?? Guid.Empty):N}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        return (handle, Hash(handle));
    }

    /// <summary>Reads the tenant a handle names; false when the handle is not well formed.</summary>
    public static bool TryReadTenant(string? handle, out Guid? tenantId)
    {
        tenantId = null;
        if (handle is null || handle.Length != MaxLength || handle[32] != '.'
            || !Guid.TryParseExact(handle.AsSpan(0, 32), "N", out var tenant)
            || handle.AsSpan(33).ContainsAnyExcept(Base64UrlAlphabet))
            return false;
        tenantId = tenant == Guid.Empty ? null : tenant;
        return true;
    }

    public static string Hash(string handle) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(handle)));
}
