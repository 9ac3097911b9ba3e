using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.Extensions.Caching.Memory;

namespace CrmTenancy.WebApi.Auth;

/// <summary>
/// Access tokens whose signature and claims were verified, by the SHA-256 of their text, until they expire: the same
/// token presented again skips OpenIddict's validation (its parsing, ES256 verification and claim checks), which is
/// pure computation on an immutable text. Nothing that can change is cached: the per-request check against the
/// database (revocation, an account or client deactivated, a tenant suspended, a security stamp changed) still runs
/// on every request, and an entry stops counting as soon as its token expires or the key that signed it is no
/// longer published (<see cref="SigningKeyStore.KeysAsync"/>). Failed validations are never cached.
/// </summary>
public sealed class VerifiedTokens(SigningKeyStore keys, TimeProvider clock) : IDisposable
{
    /// <summary>At most this many tokens are remembered (about 0.5 KB each); the oldest go first.</summary>
    public const int Capacity = 20_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.25 });

    private sealed record Entry(AccessTokenClaims Claims, DateTimeOffset ExpiresAt, string KeyId);

    /// <summary>The claims of a token verified before, if it is still unexpired and its key still published.</summary>
    public async ValueTask<AccessTokenClaims?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(Key(token), out Entry? entry) || entry is null || clock.GetUtcNow() >= entry.ExpiresAt)
            return null;
        foreach (var key in await keys.KeysAsync(cancellationToken))
            if (key.KeyId == entry.KeyId)
                return entry.Claims;
        return null;
    }

    /// <summary>Remembers a token OpenIddict has just verified, until its expiry.</summary>
    public void Add(string token, AccessTokenClaims claims, DateTimeOffset? expiresAt)
    {
        if (expiresAt is not { } expiry || KeyIdOf(token) is not { } keyId)
            return;
        var left = expiry - clock.GetUtcNow();
        if (left <= TimeSpan.Zero)
            return;
        // The cache's own expiry frees the memory; whether an entry still counts is decided on this clock (FindAsync).
        _entries.Set(Key(token), new Entry(claims, expiry, keyId),
            new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = left });
    }

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The kid of a compact JWS's header (the token was verified, so the header is well formed).</summary>
    private static string? KeyIdOf(string token)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0)
            return null;
        try
        {
            using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, dot)));
            return header.RootElement.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _entries.Dispose();
}
