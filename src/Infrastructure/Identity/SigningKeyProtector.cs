using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// Encrypts signing keys' private keys at rest with ASP.NET Core Data Protection (authenticated encryption). Its key
/// ring is not in the database (DataProtection:KeyRingPath, see the README), so whoever reads the signing_keys table or
/// a backup of it cannot mint tokens.
/// </summary>
public sealed class SigningKeyProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("CrmTenancy.SigningKeys.v1");

    /// <summary>
    /// Whether a stored private key is encrypted: PKCS#8 DER begins with a SEQUENCE tag (0x30), a Data Protection
    /// payload with its magic header (0x09F0C9F0).
    /// </summary>
    public static bool IsProtected(byte[] stored) => stored is [not 0x30, ..];

    public byte[] Protect(byte[] pkcs8) => _protector.Protect(pkcs8);

    /// <summary>The PKCS#8 DER, or null when this key ring cannot decrypt it (another ring, or a lost one).</summary>
    public byte[]? Unprotect(byte[] stored)
    {
        try
        {
            return _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
