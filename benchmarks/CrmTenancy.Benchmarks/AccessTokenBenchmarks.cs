using CrmTenancy.Application.Abstractions;
using BenchmarkDotNet.Attributes;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Infrastructure.Identity;
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
        var keys = new SigningKeyStore(new InMemoryKeys(), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new TokenOptions()));
        _issuer = new AccessTokenIssuer(keys, options, TimeProvider.System);
        _validator = new AccessTokenValidator(keys, options, TimeProvider.System);
        _token = (await _issuer.IssueAsync("client", "client", Guid.CreateVersion7(), Scopes.All, CancellationToken.None)).Token;
        _secret = ClientSecretHasher.GenerateSecret();
        _secretHash = ClientSecretHasher.Hash(_secret);
    }

    [Benchmark(Description = "validate an access token (ES256 verify + claims)")]
    public async Task<bool> Validate() => (await _validator.ValidateAsync(_token, CancellationToken.None)).Claims is not null;

    [Benchmark(Description = "issue an access token (ES256 sign)")]
    public async Task<string> Issue() =>
        (await _issuer.IssueAsync("client", "client", Guid.Empty, Scopes.All, CancellationToken.None)).Token;

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
