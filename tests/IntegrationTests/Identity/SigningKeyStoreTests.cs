using CrmTenancy.TestSupport;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace CrmTenancy.IntegrationTests.Identity;

/// <summary>
/// <see cref="SigningKeyStore"/> on a clock the tests move: rotation, how long a retired key stays published and
/// accepted (the access token lifetime plus the clock skew), and how often the keys are reloaded. The key source is a
/// substitute over a list, so no database is involved.
/// </summary>
public sealed class SigningKeyStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Start);
    private readonly TokenOptions _options = new() { Issuer = "http://crm.test", Audience = "crm-api" };
    private readonly List<SigningKey> _stored = [];
    private readonly ISigningKeySource _source;
    private readonly SigningKeyStore _store;

    public SigningKeyStoreTests()
    {
        // Like DatabaseSigningKeySource: newest first, a key created when none is active, rotation retires and adds.
        _source = ListSigningKeySource.Over(_stored, () => _clock.Now);
        _store = new SigningKeyStore(_source, _clock, Options.Create(_options));
    }

    private TimeSpan TokenWindow => _options.AccessTokenLifetime + _options.ClockSkew;

    private async Task<List<string>> PublishedAsync() => (await _store.KeysAsync(CancellationToken.None)).Select(k => k.KeyId).ToList();

    [Fact]
    public async Task The_first_use_creates_one_key_that_is_current()
    {
        var current = await _store.CurrentAsync(CancellationToken.None);

        Assert.Equal([current.KeyId], await PublishedAsync());
        Assert.False(current.Retired);
        Assert.Single(_stored);
    }

    [Fact]
    public async Task Rotation_makes_a_new_key_current_and_keeps_the_old_one_published()
    {
        var old = await _store.CurrentAsync(CancellationToken.None);
        _clock.Now += TimeSpan.FromMinutes(1);

        var rotated = await _store.RotateAsync(CancellationToken.None);

        Assert.NotEqual(old.KeyId, rotated.KeyId);
        Assert.Equal(rotated.KeyId, (await _store.CurrentAsync(CancellationToken.None)).KeyId);
        Assert.Equal([rotated.KeyId, old.KeyId], await PublishedAsync());
        Assert.NotNull(await _store.FindAsync(old.KeyId, CancellationToken.None));
    }

    [Fact]
    public async Task A_retired_key_is_published_until_its_last_token_expired_and_then_is_gone()
    {
        var old = await _store.CurrentAsync(CancellationToken.None);
        _clock.Now += TimeSpan.FromMinutes(1);
        var retiredAt = _clock.Now;
        var current = await _store.RotateAsync(CancellationToken.None);

        _clock.Now = retiredAt + TokenWindow - TimeSpan.FromSeconds(1);
        Assert.Equal([current.KeyId, old.KeyId], await PublishedAsync());
        Assert.NotNull(await _store.FindAsync(old.KeyId, CancellationToken.None));

        _clock.Now = retiredAt + TokenWindow;
        Assert.Equal([current.KeyId], await PublishedAsync());
        Assert.Null(await _store.FindAsync(old.KeyId, CancellationToken.None));
        Assert.NotNull(await _store.FindAsync(current.KeyId, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_signed_just_before_rotation_validates_until_it_expires_and_then_its_key_is_unknown()
    {
        // As OpenIddict's handlers use the store: sign with the current key, verify with the published keys.
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        async Task<string> IssueAsync() => handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = _options.Issuer, Audience = _options.Audience, TokenType = "at+jwt", IssuedAt = _clock.Now.UtcDateTime,
            NotBefore = _clock.Now.UtcDateTime, Expires = (_clock.Now + _options.AccessTokenLifetime).UtcDateTime,
            SigningCredentials = new((await _store.CurrentAsync(CancellationToken.None)).SecurityKey, "ES256"),
        });
        async Task<Microsoft.IdentityModel.Tokens.TokenValidationResult> ValidateAsync(string token) =>
            await handler.ValidateTokenAsync(token, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
            {
                ValidIssuer = _options.Issuer, ValidAudience = _options.Audience, ValidateLifetime = false,
                IssuerSigningKeys = (await PublishedKeysAsync()).Select(k => (Microsoft.IdentityModel.Tokens.SecurityKey)k.SecurityKey),
            });
        var token = await IssueAsync();
        await _store.RotateAsync(CancellationToken.None);
        var rotatedAt = _clock.Now;

        var fresh = await IssueAsync();
        Assert.NotEqual(KeyIdOf(token), KeyIdOf(fresh));

        _clock.Now = rotatedAt + TokenWindow - TimeSpan.FromSeconds(1);
        var stillValid = await ValidateAsync(token);
        Assert.True(stillValid.IsValid, stillValid.Exception?.Message);

        _clock.Now = rotatedAt + TokenWindow;
        var refused = await ValidateAsync(token);
        Assert.False(refused.IsValid);
        Assert.IsType<Microsoft.IdentityModel.Tokens.SecurityTokenSignatureKeyNotFoundException>(refused.Exception);
    }

    private Task<IReadOnlyList<LoadedSigningKey>> PublishedKeysAsync() => _store.KeysAsync(CancellationToken.None);

    [Fact]
    public async Task An_unknown_kid_reloads_the_keys_at_most_once_per_refresh_interval()
    {
        await _store.CurrentAsync(CancellationToken.None);
        _source.ClearReceivedCalls();

        // Another node rotates: the key is in the store's source but not yet in its memory.
        foreach (var key in _stored)
            key.Retire(_clock.Now);
        var added = SigningKey.Generate(_clock.Now + TimeSpan.FromSeconds(1));
        _stored.Add(added);

        Assert.Null(await _store.FindAsync(added.KeyId, CancellationToken.None));
        Assert.Null(await _store.FindAsync("0000000000000000", CancellationToken.None));
        await _source.DidNotReceive().LoadOrCreateAsync(Arg.Any<CancellationToken>());

        _clock.Now += SigningKeyStore.RefreshInterval;
        Assert.NotNull(await _store.FindAsync(added.KeyId, CancellationToken.None));
        await _source.Received(1).LoadOrCreateAsync(Arg.Any<CancellationToken>());

        // Unknown kids within the next interval do not reach the source.
        for (var i = 0; i < 5; i++)
            Assert.Null(await _store.FindAsync($"unknown-{i}", CancellationToken.None));
        await _source.Received(1).LoadOrCreateAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_keys_are_reloaded_every_reload_interval_anyway()
    {
        await _store.KeysAsync(CancellationToken.None);
        _clock.Now += SigningKeyStore.ReloadInterval - TimeSpan.FromSeconds(1);
        await _store.KeysAsync(CancellationToken.None);
        await _source.Received(1).LoadOrCreateAsync(Arg.Any<CancellationToken>());

        _clock.Now += TimeSpan.FromSeconds(1);
        await _store.KeysAsync(CancellationToken.None);
        await _source.Received(2).LoadOrCreateAsync(Arg.Any<CancellationToken>());
    }

    private static string KeyIdOf(string token) =>
        System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;
}
