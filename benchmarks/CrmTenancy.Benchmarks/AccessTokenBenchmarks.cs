using CrmTenancy.Application.Abstractions;
using BenchmarkDotNet.Attributes;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Domain.Users;
using PasswordHasher = Microsoft.AspNetCore.Identity.PasswordHasher<CrmTenancy.Domain.Users.User>;
using PasswordVerificationResult = Microsoft.AspNetCore.Identity.PasswordVerificationResult;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Benchmarks;

/// <summary>What every authenticated request pays before its handler runs, and what a token request pays.</summary>
[MemoryDiagnoser]
public class AccessTokenBenchmarks
{
    private AccessTokenIssuer _issuer = null!;
    private AccessTokenValidator _validator = null!;
    private string _token = null!;
    private string _secret = null!;
    private string _secretHash = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var options = Options.Create(new TokenOptions());
        var keys = new SigningKeyStore(new InMemoryKeys(), TimeProvider.System, options);
        _issuer = new AccessTokenIssuer(keys, options, TimeProvider.System);
        _validator = new AccessTokenValidator(keys, options, TimeProvider.System);
        _token = (await _issuer.IssueAsync("client", "client", Guid.CreateVersion7(), Scopes.All, CancellationToken.None)).Token;
        _secret = ClientSecretHasher.GenerateSecret();
        _secretHash = ClientSecretHasher.Hash(_secret);
        _user = User.Create(Guid.CreateVersion7(), "someone@example.com", "Someone", UserRole.Member);
        _passwordHash = _passwords.HashPassword(_user, "correct horse battery staple");
        _verifier = SignIn.Base64UrlRandom();
        _challenge = Pkce.Challenge(_verifier);
        _handle = OpaqueHandle.Create(Guid.CreateVersion7()).Handle;
    }

    private readonly PasswordHasher _passwords = new();
    private User _user = null!;
    private string _passwordHash = null!;
    private string _verifier = null!;
    private string _challenge = null!;
    private string _handle = null!;

    [Benchmark(Description = "verify a password (Identity v3: PBKDF2-HMAC-SHA512, 100,000 iterations)")]
    public PasswordVerificationResult VerifyPassword() => _passwords.VerifyHashedPassword(_user, _passwordHash, "correct horse battery staple");

    [Benchmark(Description = "check a PKCE code_verifier (S256)")]
    public bool CheckPkce() => Pkce.Matches(_verifier, _challenge);

    [Benchmark(Description = "read an opaque handle's tenant and hash it")]
    public string ReadHandle() => OpaqueHandle.TryReadTenant(_handle, out _) ? OpaqueHandle.Hash(_handle) : "";

    [Benchmark(Description = "validate an access token (ES256 verify + claims)")]
    public async Task<bool> Validate() => (await _validator.ValidateAsync(_token, CancellationToken.None)).Claims is not null;

    [Benchmark(Description = "issue an access token (ES256 sign)")]
    public async Task<string> Issue() =>
        (await _issuer.IssueAsync("client", "client", Guid.Empty, Scopes.All, CancellationToken.None)).Token;

    [Benchmark(Description = "verify a client secret (SHA-256, constant time)")]
    public bool VerifySecret() => ClientSecretHasher.Verify(_secret, _secretHash);

    [Benchmark(Description = "build a search pattern")]
    public string SearchPattern() => TextSearch.Pattern("  Acme 100%_Organic ");

    private static class SignIn
    {
        public static string Base64UrlRandom() => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }

    private sealed class InMemoryKeys : ISigningKeySource
    {
        private readonly IReadOnlyList<SigningKey> _keys = [SigningKey.Generate(DateTimeOffset.UtcNow)];

        public Task<IReadOnlyList<SigningKey>> LoadOrCreateAsync(CancellationToken cancellationToken) => Task.FromResult(_keys);

        public Task RotateAsync(CancellationToken cancellationToken) => throw new NotSupportedException("The benchmark signs with one key.");
    }
}
