using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CrmTenancy.EndToEndTests.Infrastructure;

/// <summary>RFC 7636 proof key: a random verifier and its S256 challenge, base64url(SHA-256(verifier)).</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce Create()
    {
        var verifier = Random();
        return new Pkce(verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>43 base64url characters (32 random bytes), the shortest verifier RFC 7636 allows.</summary>
    public static string Random() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
