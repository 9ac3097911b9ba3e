using System.Security.Cryptography;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmTenancy.IntegrationTests.Identity;

/// <summary>
/// Signing keys are encrypted at rest: the signing_keys table (or a backup of it) holds no usable private key; a key
/// stored in clear before is encrypted when loaded; a key the node's key ring cannot decrypt is not used.
/// </summary>
public sealed class SigningKeyEncryptionTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    [Fact]
    public async Task The_stored_private_key_is_encrypted_and_the_loaded_one_signs()
    {
        var loaded = await SigningKeySources.Database(Fixture.Services, Fixture.Clock).LoadOrCreateAsync(CancellationToken.None);

        var stored = await StoredAsync(loaded[0].KeyId);
        Assert.True(SigningKeyProtector.IsProtected(stored));
        Assert.ThrowsAny<CryptographicException>(() => ECDsa.Create().ImportPkcs8PrivateKey(stored, out _));
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(loaded[0].PrivateKey, out _);
        Assert.True(key.VerifyData("token"u8, key.SignData("token"u8, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task A_key_stored_in_clear_is_encrypted_when_loaded_and_stays_in_use()
    {
        var clear = SigningKey.Generate(Fixture.Clock.GetUtcNow());
        await using (var scope = Fixture.For(null))
        {
            scope.Db.SigningKeys.Add(clear);
            await scope.Db.SaveChangesAsync();
        }

        var loaded = await SigningKeySources.Database(Fixture.Services, Fixture.Clock).LoadOrCreateAsync(CancellationToken.None);

        Assert.Equal(clear.KeyId, Assert.Single(loaded).KeyId);
        Assert.Equal(clear.PrivateKey, loaded[0].PrivateKey);
        var stored = await StoredAsync(clear.KeyId);
        Assert.True(SigningKeyProtector.IsProtected(stored));
        Assert.Equal(clear.PrivateKey, Fixture.Services.GetRequiredService<SigningKeyProtector>().Unprotect(stored));
    }

    [Fact]
    public async Task A_key_another_key_ring_encrypted_is_not_used_and_a_new_one_is_made()
    {
        var first = await SigningKeySources.Database(Fixture.Services, Fixture.Clock).LoadOrCreateAsync(CancellationToken.None);
        var storedBefore = await StoredAsync(first[0].KeyId);

        var otherRing = new DatabaseSigningKeySource(
            Fixture.Services.GetRequiredService<IServiceScopeFactory>(), Fixture.Clock,
            new SigningKeyProtector(new EphemeralDataProtectionProvider()), NullLogger<DatabaseSigningKeySource>.Instance);
        var loaded = await otherRing.LoadOrCreateAsync(CancellationToken.None);

        Assert.NotEqual(first[0].KeyId, Assert.Single(loaded).KeyId);
        Assert.Equal(storedBefore, await StoredAsync(first[0].KeyId));
    }

    private async Task<byte[]> StoredAsync(string keyId)
    {
        await using var scope = Fixture.For(null);
        return await scope.Db.SigningKeys.AsNoTracking().Where(k => k.KeyId == keyId).Select(k => k.PrivateKey).SingleAsync();
    }
}

/// <summary>The database key source as the API builds it, on the fixture's services.</summary>
internal static class SigningKeySources
{
    public static DatabaseSigningKeySource Database(IServiceProvider services, TimeProvider clock) =>
        new(services.GetRequiredService<IServiceScopeFactory>(), clock, services.GetRequiredService<SigningKeyProtector>(),
            NullLogger<DatabaseSigningKeySource>.Instance);
}
