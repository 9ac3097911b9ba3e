using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>Token entries a day past their expiry are deleted, in every tenant and without one; live ones stay.</summary>
public sealed class TokenRetentionTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Expired_token_entries_of_every_tenant_and_of_none_are_deleted_and_live_ones_stay()
    {
        // Access tokens get an entry when they are revoked (ADR 0023): one each for tenant A, tenant B and none.
        var (platformId, platformSecret) = await AddPlatformClientAsync(Factory);
        foreach (var (clientId, secret) in new[] { (TenantA.ClientId, TenantA.ClientSecret), (TenantB.ClientId, TenantB.ClientSecret), (platformId, platformSecret) })
            await RevokedAsync(await Factory.TokenAsync(clientId, secret), clientId, secret);
        var live = await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret);
        await RevokedAsync(live, TenantA.ClientId, TenantA.ClientSecret);
        var liveEntry = Guid.Parse(ForgedTokens.Decode(live).Payload["jti"]!.GetValue<string>());
        int total;
        await using (var db = Factory.Database.Owner())
        {
            total = await db.OidcTokens.CountAsync();
            Assert.Equal(4, total);
            // Every entry but the live token's expired two days ago.
            Assert.Equal(total - 1, await db.OidcTokens.Where(t => t.Id != liveEntry)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpirationDate, DateTime.UtcNow.AddDays(-2))));
            Assert.Contains(await db.OidcTokens.Where(t => t.Id != liveEntry).Select(t => t.TenantId).ToListAsync(), t => t is null);
        }

        var retention = Factory.Services.GetServices<IHostedService>().OfType<TokenRetentionService>().Single();
        Assert.Equal(total - 1, await retention.DeleteExpiredAsync(CancellationToken.None));

        await using (var check = Factory.Database.Owner())
            Assert.Equal([liveEntry], await check.OidcTokens.Select(t => t.Id).ToListAsync());
        // The live token's revocation is still in force.
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, live));
    }

    private async Task RevokedAsync(string token, string clientId, string secret)
    {
        using var revoke = await RevokeAsync(Factory, token, clientId, secret);
        Assert.Equal(System.Net.HttpStatusCode.OK, revoke.StatusCode);
    }
}
