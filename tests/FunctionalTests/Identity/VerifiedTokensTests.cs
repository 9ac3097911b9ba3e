using System.Text;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.WebApi.Auth;
using Microsoft.Extensions.Options;
using CrmTenancy.TestSupport;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>
/// <see cref="VerifiedTokens"/> on a clock the tests move, over a key store whose source is a substitute: a verified
/// token counts until it expires and while its key is published, and only the exact same text counts.
/// </summary>
public sealed class VerifiedTokensTests : IDisposable
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly Clock _clock = new(Start);
    private readonly TokenOptions _options = new() { Issuer = "http://crm.test", Audience = "crm-api" };
    private readonly List<SigningKey> _stored = [];
    private readonly SigningKeyStore _keys;
    private readonly VerifiedTokens _verified;
    private static readonly AccessTokenClaims Claims = new("client-1", "client-1", Guid.CreateVersion7(), ["crm.read"], Guid.CreateVersion7());

    public VerifiedTokensTests()
    {
        var source = ListSigningKeySource.Over(_stored, () => _clock.Now);
        _keys = new SigningKeyStore(source, _clock, Options.Create(_options));
        _verified = new VerifiedTokens(_keys, _clock);
    }

    private static string Token(string keyId, string payload = """{"sub":"client-1"}""")
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $$"""{{Part($$"""{"alg":"ES256","kid":"{{keyId}}","typ":"at+jwt"}""")}}.{{Part(payload)}}.c2lnbmF0dXJl""";
    }

    private async Task<string> CurrentKeyIdAsync() => (await _keys.CurrentAsync(CancellationToken.None)).KeyId;

    [Fact]
    public async Task A_verified_token_counts_until_it_expires()
    {
        var token = Token(await CurrentKeyIdAsync());
        _verified.Add(token, Claims, Start.AddMinutes(15));

        _clock.Now = Start.AddMinutes(14);
        Assert.Same(Claims, await _verified.FindAsync(token, CancellationToken.None));
        _clock.Now = Start.AddMinutes(15);
        Assert.Null(await _verified.FindAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_exact_same_text_counts()
    {
        var token = Token(await CurrentKeyIdAsync());
        _verified.Add(token, Claims, Start.AddMinutes(15));

        Assert.Null(await _verified.FindAsync(Token(await CurrentKeyIdAsync(), """{"sub":"client-2"}"""), CancellationToken.None));
        Assert.Null(await _verified.FindAsync(token + "x", CancellationToken.None));
        Assert.Null(await _verified.FindAsync(" " + token, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_stops_counting_when_its_key_is_no_longer_published()
    {
        var token = Token(await CurrentKeyIdAsync());
        _verified.Add(token, Claims, Start.AddDays(1)); // a lifetime longer than the key's publication, to see the key decide
        await _keys.RotateAsync(CancellationToken.None);
        Assert.Same(Claims, await _verified.FindAsync(token, CancellationToken.None)); // retired, still published

        _clock.Now = Start + _options.AccessTokenLifetime + _options.ClockSkew + TimeSpan.FromSeconds(1);
        Assert.Null(await _verified.FindAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_without_an_expiry_or_a_key_id_is_not_remembered()
    {
        var token = Token(await CurrentKeyIdAsync());
        _verified.Add(token, Claims, expiresAt: null);
        Assert.Null(await _verified.FindAsync(token, CancellationToken.None));

        const string noKeyId = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";
        _verified.Add(noKeyId, Claims, Start.AddMinutes(15));
        Assert.Null(await _verified.FindAsync(noKeyId, CancellationToken.None));
    }

    public void Dispose() => _verified.Dispose();
}
