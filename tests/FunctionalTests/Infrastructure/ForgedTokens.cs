using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmTenancy.FunctionalTests.Infrastructure;

/// <summary>A compact JWS taken apart: editable header and payload, and the signature as it was.</summary>
public sealed record TokenParts(JsonObject Header, JsonObject Payload, string Signature)
{
    /// <summary>A deep copy, so one real token can be forged several ways.</summary>
    public TokenParts Copy() => new((JsonObject)Header.DeepClone(), (JsonObject)Payload.DeepClone(), Signature);
}

/// <summary>
/// Builds tokens by hand (System.Text.Json, Base64Url, System.Security.Cryptography only), the way an attacker
/// would, so the tests exercise the validator with no library between them and the bytes.
/// </summary>
public static class ForgedTokens
{
    public static TokenParts Decode(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return new TokenParts(DecodeSegment(parts[0]), DecodeSegment(parts[1]), parts[2]);
    }

    public static JsonObject DecodeSegment(string segment) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(segment))!.AsObject();

    public static string Encode(JsonNode node) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public static string SigningInput(TokenParts parts) => $"{Encode(parts.Header)}.{Encode(parts.Payload)}";

    /// <summary>Header and payload as given, followed by any signature text (possibly empty or someone else's).</summary>
    public static string WithSignature(TokenParts parts, string signature) => $"{SigningInput(parts)}.{signature}";

    /// <summary>An ES256 signature by <paramref name="key"/> over the edited header and payload.</summary>
    public static string SignEs256(TokenParts parts, ECDsa key)
    {
        var input = SigningInput(parts);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>An HS256 signature keyed by <paramref name="secret"/> (the classic key-confusion attack uses the public key).</summary>
    public static string SignHs256(TokenParts parts, byte[] secret)
    {
        var input = SigningInput(parts);
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input));
        return $"{input}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The signature segment with one byte changed: still base64url of 64 bytes, no longer valid.</summary>
    public static string FlipSignatureByte(string signature, int index = 10)
    {
        var bytes = Base64Url.DecodeFromChars(signature);
        bytes[index] ^= 0x01;
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Verifies an ES256 compact JWS with a public key (used to prove the JWKS publishes the real key).</summary>
    public static bool VerifyEs256(string token, ECDsa publicKey)
    {
        var parts = token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        return publicKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>A P-256 public key from a JWK's x and y.</summary>
    public static ECDsa PublicKeyFromJwk(JsonElement jwk) =>
        ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()),
                Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()),
            },
        });

    public static long Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds();
}
