using System.Security.Cryptography;
using CrmTenancy.Application.Abstractions;
using Microsoft.AspNetCore.DataProtection;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// <see cref="ISealedSecrets"/> on ASP.NET Core Data Protection (its key ring is outside the database, like the one that
/// encrypts the signing keys): authenticated encryption with an expiry, so an outbox row read from the database or a
/// backup does not give the secret away.
/// </summary>
public sealed class SealedSecrets(IDataProtectionProvider provider, TimeProvider clock) : ISealedSecrets
{
    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("CrmTenancy.SealedSecrets.v1").ToTimeLimitedDataProtector();

    public string Seal(string secret, TimeSpan lifetime) => _protector.Protect(secret, clock.GetUtcNow() + lifetime);

    public string? Open(string sealedSecret)
    {
        try
        {
            return _protector.Unprotect(sealedSecret, out var expires) is var secret && expires > clock.GetUtcNow() ? secret : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
