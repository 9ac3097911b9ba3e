using System.Security.Cryptography;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>A key ready to sign or verify: its id and the ECDsa P-256 key.</summary>
public sealed record LoadedSigningKey(string KeyId, ECDsa Key, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt)
{
    public bool Retired => RetiredAt is not null;

    /// <summary>The key as IdentityModel signs and verifies with it, made once per loaded key.</summary>
    public Microsoft.IdentityModel.Tokens.ECDsaSecurityKey SecurityKey { get; } = new(Key) { KeyId = KeyId };
}

/// <summary>
/// Holds the signing keys in memory (singleton). On first use it loads them from the database and, when none
/// is active, generates an ES256 key and stores it, so a key is created once and survives restarts.
/// </summary>
public sealed class SigningKeyStore(ISigningKeySource source, TimeProvider clock, Microsoft.Extensions.Options.IOptions<TokenOptions> options)
{
    public const string Algorithm = "ES256";

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>How often the keys are reloaded anyway, so a rotation on another node reaches this one.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyList<LoadedSigningKey>? _keys;
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>The key that signs new tokens: the newest that is not retired.</summary>
    public async Task<LoadedSigningKey> CurrentAsync(CancellationToken cancellationToken) =>
        (await KeysAsync(cancellationToken)).First(k => !k.Retired);

    /// <summary>The published keys as IdentityModel verifies with them (<see cref="KeysAsync"/>).</summary>
    public async Task<List<Microsoft.IdentityModel.Tokens.SecurityKey>> VerificationKeysAsync(CancellationToken cancellationToken) =>
        (await KeysAsync(cancellationToken)).Select(k => (Microsoft.IdentityModel.Tokens.SecurityKey)k.SecurityKey).ToList();

    /// <summary>
    /// Every key whose tokens may still be valid, newest first (published in the JWKS, accepted by validation): the
    /// current key, and retired keys until the last token they signed has expired. Then a retired key is gone from
    /// both, and so its tokens stop validating even if a clock were wrong.
    /// </summary>
    public async Task<IReadOnlyList<LoadedSigningKey>> KeysAsync(CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is null || clock.GetUtcNow() - _loadedAt >= ReloadInterval)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_keys is null || clock.GetUtcNow() - _loadedAt >= ReloadInterval)
                    _keys = await LoadOrCreateAsync(cancellationToken);
                keys = _keys;
            }
            finally
            {
                _gate.Release();
            }
        }
        return Published(keys);
    }

    /// <summary>Makes a new key current; the previous one is retired and stays published until its tokens expire.</summary>
    public async Task<LoadedSigningKey> RotateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await source.RotateAsync(cancellationToken);
            _keys = await LoadOrCreateAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
        return await CurrentAsync(cancellationToken);
    }

    private IReadOnlyList<LoadedSigningKey> Published(IReadOnlyList<LoadedSigningKey> keys)
    {
        var settings = options.Value;
        var oldest = clock.GetUtcNow() - settings.AccessTokenLifetime - settings.ClockSkew;
        return keys.All(k => k.RetiredAt is null || k.RetiredAt > oldest) ? keys : keys.Where(k => k.RetiredAt is null || k.RetiredAt > oldest).ToList();
    }

    /// <summary>
    /// Looks a key up by kid from memory (the validation hot path). An unknown kid reloads the keys from the
    /// database, at most once per <see cref="RefreshInterval"/>, so a key another node added is picked up
    /// without letting unknown kids turn every request into a query.
    /// </summary>
    public async Task<LoadedSigningKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var key = (await KeysAsync(cancellationToken)).FirstOrDefault(k => k.KeyId == keyId);
        if (key is not null || clock.GetUtcNow() - _loadedAt < RefreshInterval)
            return key;
        // Unknown here: perhaps another node has just added it.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (clock.GetUtcNow() - _loadedAt >= RefreshInterval)
                _keys = await LoadOrCreateAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
        return Published(_keys!).FirstOrDefault(k => k.KeyId == keyId);
    }

    private async Task<IReadOnlyList<LoadedSigningKey>> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        var stored = await source.LoadOrCreateAsync(cancellationToken);
        _loadedAt = clock.GetUtcNow();
        return stored.Select(Load).ToList();
    }

    private static LoadedSigningKey Load(SigningKey key)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.PrivateKey, out _);
        return new LoadedSigningKey(key.KeyId, ecdsa, key.CreatedAt, key.RetiredAt);
    }
}

/// <summary>Where signing keys are kept.</summary>
public interface ISigningKeySource
{
    /// <summary>Every stored key, newest first; creates and stores an ES256 key first when none is active.</summary>
    Task<IReadOnlyList<SigningKey>> LoadOrCreateAsync(CancellationToken cancellationToken);

    /// <summary>Retires the active key(s) and stores a new one, in one transaction.</summary>
    Task RotateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Keys in the signing_keys table, shared by every node of the API, their private keys encrypted at rest
/// (<see cref="SigningKeyProtector"/>). A key stored in clear (before encryption) is encrypted when it is loaded; a key
/// this node's key ring cannot decrypt is left as it is and not used, and a new key is made when no usable one is active.
/// </summary>
public sealed class DatabaseSigningKeySource(
    IServiceScopeFactory scopes, TimeProvider clock, SigningKeyProtector protector, ILogger<DatabaseSigningKeySource> logger) : ISigningKeySource
{
    public async Task<IReadOnlyList<SigningKey>> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var usable = new List<SigningKey>();
        foreach (var stored in await db.SigningKeys.OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken))
        {
            if (!SigningKeyProtector.IsProtected(stored.PrivateKey))
            {
                usable.Add(stored.WithPrivateKey(stored.PrivateKey));
                stored.StorePrivateKey(protector.Protect(stored.PrivateKey));
            }
            else if (protector.Unprotect(stored.PrivateKey) is { } privateKey)
                usable.Add(stored.WithPrivateKey(privateKey));
            else
                logger.LogError("Signing key {KeyId} cannot be decrypted with this node's Data Protection key ring; it is not used", stored.KeyId);
        }
        if (!usable.Any(k => k.RetiredAt is null))
            usable.Insert(0, Add(db, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return usable;
    }

    public async Task RotateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var now = clock.GetUtcNow();
        foreach (var active in await db.SigningKeys.Where(k => k.RetiredAt == null).ToListAsync(cancellationToken))
            active.Retire(now);
        Add(db, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Generates a key and adds it encrypted; returns it in clear.</summary>
    private SigningKey Add(CrmDbContext db, DateTimeOffset now)
    {
        var key = SigningKey.Generate(now);
        db.SigningKeys.Add(key.WithPrivateKey(protector.Protect(key.PrivateKey)));
        return key;
    }
}
