using System.Security.Cryptography;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// An asymmetric key that signs access tokens. Generated once and kept in the database (never in the
/// repository), so every API node signs and validates with the same keys; published at the JWKS endpoint.
/// </summary>
public sealed class SigningKey
{
    private SigningKey() { KeyId = null!; Algorithm = null!; PrivateKey = null!; }

    public string KeyId { get; private set; }
    public string Algorithm { get; private set; }
    /// <summary>
    /// The private key: in the database, PKCS#8 DER encrypted with the Data Protection key ring, which is kept outside
    /// the database (<see cref="SigningKeyProtector"/>); in the keys <see cref="ISigningKeySource"/> hands out, the
    /// PKCS#8 DER itself.
    /// </summary>
    public byte[] PrivateKey { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>When it stopped signing; it stays published until the tokens it signed have expired.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    public void Retire(DateTimeOffset now) => RetiredAt ??= now;

    /// <summary>The same key with another form of its private key (encrypted for storage, or decrypted for use).</summary>
    public SigningKey WithPrivateKey(byte[] privateKey) =>
        new() { KeyId = KeyId, Algorithm = Algorithm, PrivateKey = privateKey, CreatedAt = CreatedAt, RetiredAt = RetiredAt };

    /// <summary>Replaces the stored form of the private key (a key stored in clear before encryption was introduced).</summary>
    public void StorePrivateKey(byte[] stored) => PrivateKey = stored;

    /// <summary>A new ES256 (ECDSA P-256) key with a random kid.</summary>
    public static SigningKey Generate(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new SigningKey
        {
            KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Algorithm = SigningKeyStore.Algorithm,
            PrivateKey = key.ExportPkcs8PrivateKey(),
            CreatedAt = now,
        };
    }
}
