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
        var (platformId, platformSecret) = await AddPlatformClientAsync(Factory);
        await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret);
        await Factory.TokenAsync(TenantB.ClientId, TenantB.ClientSecret);
        await Factory.TokenAsync(platformId, platformSecret);
        var live = await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret);
        var liveEntry = Guid.Parse(ForgedTokens.Decode(live).Payload["oi_tkn_id"]!.GetValue<string>());
        int total;
        await using (var db = Factory.Database.Owner())
        {
            total = await db.OidcTokens.CountAsync();
            // Every entry but the live token's expired two days ago.
            Assert.Equal(total - 1, await db.OidcTokens.Where(t => t.Id != liveEntry)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpirationDate, DateTime.UtcNow.AddDays(-2))));
            Assert.Contains(await db.OidcTokens.Where(t => t.Id != liveEntry).Select(t => t.TenantId).ToListAsync(), t => t is null);
        }

        var retention = Factory.Services.GetServices<IHostedService>().OfType<TokenRetentionService>().Single();
        Assert.Equal(total - 1, await retention.DeleteExpiredAsync(CancellationToken.None));

        await using (var check = Factory.Database.Owner())
            Assert.Equal([liveEntry], await check.OidcTokens.Select(t => t.Id).ToListAsync());
        Assert.Equal(System.Net.HttpStatusCode.OK, await StatusWithTokenAsync(Factory, live));
    }
}
