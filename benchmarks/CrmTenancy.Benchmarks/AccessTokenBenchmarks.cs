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
    private readonly Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler _tokens = new();
    private Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor _descriptor = null!;
    private Microsoft.IdentityModel.Tokens.TokenValidationParameters _validation = null!;
    private string _token = null!;
    private string _secret = null!;
    private string _secretHash = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var options = Options.Create(new TokenOptions());
        var keys = new SigningKeyStore(new InMemoryKeys(), TimeProvider.System, options);
        // What OpenIddict does with the key store's current key: an RFC 9068 access token, ES256, and its validation.
        var key = (await keys.CurrentAsync(CancellationToken.None)).SecurityKey;
        _descriptor = new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            TokenType = "at+jwt",
            Expires = DateTime.UtcNow.AddMinutes(15),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(key, "ES256"),
            Claims = new Dictionary<string, object> { ["sub"] = "client", ["client_id"] = "client", ["tenant_id"] = Guid.CreateVersion7().ToString(), ["scope"] = string.Join(' ', Scopes.All) },
        };
        _validation = new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer, ValidAudience = options.Value.Audience, IssuerSigningKey = key, ValidTypes = ["at+jwt"],
        };
        _token = _tokens.CreateToken(_descriptor);
        _secret = ClientSecretHasher.GenerateSecret();
        _secretHash = ClientSecretHasher.Hash(_secret);
        _user = User.Create(Guid.CreateVersion7(), "someone@example.com", "Someone", UserRole.Member);
        _passwordHash = _passwords.HashPassword(_user, "correct horse battery staple");
        _handle = OpaqueHandle.Create(Guid.CreateVersion7()).Handle;
    }

    private readonly PasswordHasher _passwords = new();
    private User _user = null!;
    private string _passwordHash = null!;
    private string _handle = null!;

    [Benchmark(Description = "verify a password (Identity v3: PBKDF2-HMAC-SHA512, 100,000 iterations)")]
    public PasswordVerificationResult VerifyPassword() => _passwords.VerifyHashedPassword(_user, _passwordHash, "correct horse battery staple");

    [Benchmark(Description = "read an opaque handle's tenant and hash it")]
    public string ReadHandle() => OpaqueHandle.TryReadTenant(_handle, out _) ? OpaqueHandle.Hash(_handle) : "";

    [Benchmark(Description = "validate an access token (IdentityModel, ES256 verify + claims)")]
    public async Task<bool> Validate() => (await _tokens.ValidateTokenAsync(_token, _validation)).IsValid;

    [Benchmark(Description = "issue an access token (IdentityModel, ES256 sign)")]
    public string Issue() => _tokens.CreateToken(_descriptor);

    [Benchmark(Description = "verify a client secret (SHA-256, constant time)")]
    public bool VerifySecret() => ClientSecretHasher.Verify(_secret, _secretHash);

    [Benchmark(Description = "build a search pattern")]
    public string SearchPattern() => TextSearch.Pattern("  Acme 100%_Organic ");

    private sealed class InMemoryKeys : ISigningKeySource
    {
        private readonly IReadOnlyList<SigningKey> _keys = [SigningKey.Generate(DateTimeOffset.UtcNow)];

        public Task<IReadOnlyList<SigningKey>> LoadOrCreateAsync(CancellationToken cancellationToken) => Task.FromResult(_keys);

        public Task RotateAsync(CancellationToken cancellationToken) => throw new NotSupportedException("The benchmark signs with one key.");
    }
}
