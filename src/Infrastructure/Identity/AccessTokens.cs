using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>What an access token says about its bearer.</summary>
public sealed record AccessTokenClaims(
    string Subject, string ClientId, Guid? TenantId, IReadOnlyList<string> Scopes, string TokenId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt,
    string? Role = null, string? StampDigest = null)
{
    /// <summary>A user's (or operator's) token, as opposed to a client acting for itself.</summary>
    public bool IsUser => Subject != ClientId;
}

/// <summary>Whom an access token is for: a client acting for itself (subject = client id) or a signed-in account.</summary>
public sealed record AccessTokenSubject(
    string Subject, string ClientId, Guid? TenantId, IReadOnlyCollection<string> Scopes, string? Role = null, string? StampDigest = null);

public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt, TimeSpan Lifetime);

/// <summary>
/// Issues RFC 9068 JWT access tokens (typ at+jwt) signed with ES256, built on System.Security.Cryptography:
/// the IdentityModel packages are not available here (docs/decisions/0003).
/// </summary>
public sealed class AccessTokenIssuer(SigningKeyStore keys, IOptions<TokenOptions> options, TimeProvider clock)
{
    public Task<IssuedToken> IssueAsync(
        string subject, string clientId, Guid? tenantId, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken) =>
        IssueAsync(new AccessTokenSubject(subject, clientId, tenantId, scopes), cancellationToken);

    public async Task<IssuedToken> IssueAsync(AccessTokenSubject subject, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var expires = now + settings.AccessTokenLifetime;
        var token = await SignAsync(Jws.AccessTokenType, writer =>
        {
            writer.WriteString("iss", settings.Issuer);
            writer.WriteString("aud", settings.Audience);
            writer.WriteString("sub", subject.Subject);
            writer.WriteString("client_id", subject.ClientId);
            if (subject.TenantId is { } tenant)
                writer.WriteString("tenant_id", tenant);
            writer.WriteString("scope", string.Join(' ', subject.Scopes));
            if (subject.Role is { } role)
                writer.WriteString("role", role);
            if (subject.StampDigest is { } stamp)
                writer.WriteString("sst", stamp);
            writer.WriteString("jti", Guid.CreateVersion7().ToString("N"));
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteNumber("nbf", now.ToUnixTimeSeconds());
            writer.WriteNumber("exp", expires.ToUnixTimeSeconds());
        }, cancellationToken);
        return new IssuedToken(token, expires, settings.AccessTokenLifetime);
    }

    /// <summary>
    /// An OpenID Connect ID token (typ JWT) for the client: who signed in, when, and the nonce the client sent.
    /// Its lifetime is the access token's.
    /// </summary>
    public Task<string> IssueIdTokenAsync(
        string subject, string clientId, DateTimeOffset authTime, string? nonce, IReadOnlyDictionary<string, object> claims, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        return SignAsync("JWT", writer =>
        {
            writer.WriteString("iss", settings.Issuer);
            writer.WriteString("sub", subject);
            writer.WriteString("aud", clientId);
            writer.WriteString("azp", clientId);
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteNumber("exp", (now + settings.AccessTokenLifetime).ToUnixTimeSeconds());
            writer.WriteNumber("auth_time", authTime.ToUnixTimeSeconds());
            if (nonce is not null)
                writer.WriteString("nonce", nonce);
            foreach (var (name, value) in claims)
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, value);
            }
        }, cancellationToken);
    }

    private async Task<string> SignAsync(string type, Action<Utf8JsonWriter> writeClaims, CancellationToken cancellationToken)
    {
        var key = await keys.CurrentAsync(cancellationToken);
        var header = Jws.Encode(writer =>
        {
            writer.WriteString("alg", SigningKeyStore.Algorithm);
            writer.WriteString("typ", type);
            writer.WriteString("kid", key.KeyId);
        });
        var signingInput = $"{header}.{Jws.Encode(writeClaims)}";
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The digest of a security stamp that access tokens carry (the stamp itself never leaves the database).</summary>
    public static string StampDigest(string securityStamp) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(securityStamp)))[..16];
}

/// <summary>
/// Validates access tokens locally: compact JWS with exactly ES256 and typ at+jwt, a known kid, a valid
/// signature, the expected iss and aud, exp and nbf within the clock skew. Anything else is refused with a reason.
/// </summary>
public sealed class AccessTokenValidator(SigningKeyStore keys, IOptions<TokenOptions> options, TimeProvider clock)
{
    public async Task<(AccessTokenClaims? Claims, string? Error)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            return Fail("The token is not a compact JWS.");

        using var header = Jws.Decode(parts[0]);
        if (header is null)
            return Fail("The token header is not valid JSON.");
        var head = header.RootElement;
        if (Jws.String(head, "alg") != SigningKeyStore.Algorithm)
            return Fail("The token is not signed with the expected algorithm.");
        if (!string.Equals(Jws.String(head, "typ"), Jws.AccessTokenType, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Jws.String(head, "typ"), "application/" + Jws.AccessTokenType, StringComparison.OrdinalIgnoreCase))
            return Fail("The token is not an access token (typ).");
        if (head.TryGetProperty("crit", out _))
            return Fail("The token uses critical header extensions this API does not understand.");
        if (Jws.String(head, "kid") is not { } keyId)
            return Fail("The token names no key.");

        var key = await keys.FindAsync(keyId, cancellationToken);
        if (key is null)
            return Fail("The token is signed with an unknown key.");

        if (!Base64Url.IsValid(parts[2]))
            return Fail("The token signature is not base64url.");
        var signature = Base64Url.DecodeFromChars(parts[2]);
        var signingInput = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        if (signature.Length != 64 || !key.Key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            return Fail("The token signature is invalid.");

        using var payload = Jws.Decode(parts[1]);
        if (payload is null)
            return Fail("The token payload is not valid JSON.");
        var body = payload.RootElement;
        var settings = options.Value;
        if (Jws.String(body, "iss") != settings.Issuer)
            return Fail("The token was issued by another issuer.");
        if (!Jws.Audiences(body).Contains(settings.Audience))
            return Fail("The token is not meant for this API.");

        var now = clock.GetUtcNow();
        if (Jws.Time(body, "exp") is not { } expires || expires + settings.ClockSkew <= now)
            return Fail("The token has expired.");
        if (Jws.Time(body, "nbf") is { } notBefore && notBefore - settings.ClockSkew > now)
            return Fail("The token is not valid yet.");
        if (Jws.Time(body, "iat") is not { } issuedAt || issuedAt - settings.ClockSkew > now)
            return Fail("The token has no valid issue time.");

        var subject = Jws.String(body, "sub");
        var clientId = Jws.String(body, "client_id");
        var tokenId = Jws.String(body, "jti");
        if (subject is null || clientId is null || tokenId is null)
            return Fail("The token lacks sub, client_id or jti.");
        Guid? tenantId = null;
        if (Jws.String(body, "tenant_id") is { } tenantText)
        {
            if (!Guid.TryParse(tenantText, out var parsed))
                return Fail("The token's tenant_id is not an id.");
            tenantId = parsed;
        }
        var scopes = (Jws.String(body, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (new AccessTokenClaims(subject, clientId, tenantId, scopes, tokenId, issuedAt, expires, Jws.String(body, "role"), Jws.String(body, "sst")), null);
    }

    private static (AccessTokenClaims?, string?) Fail(string error) => (null, error);
}

/// <summary>The small amount of JOSE encoding both sides need.</summary>
internal static class Jws
{
    public const string AccessTokenType = "at+jwt";

    public static string Encode(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping writes "at+jwt" as it is (the default encoder would write \u002B), as JOSE libraries expect to see it.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Base64Url.EncodeToString(buffer.ToArray());
    }

    public static JsonDocument? Decode(string segment)
    {
        if (segment.Length > 8192 || !Base64Url.IsValid(segment))
            return null;
        try
        {
            var document = JsonDocument.Parse(Base64Url.DecodeFromChars(segment));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static IReadOnlyList<string> Audiences(JsonElement element)
    {
        if (!element.TryGetProperty("aud", out var value))
            return [];
        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList(),
            _ => [],
        };
    }
}
