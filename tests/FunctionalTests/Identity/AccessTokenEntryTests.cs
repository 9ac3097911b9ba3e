using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>
/// An access token is issued without an entry and gets one when it is revoked (docs/decisions/0023): a revoked token,
/// or one whose family was revoked, is refused by the API, by introspection and by userinfo alike.
/// </summary>
public sealed class AccessTokenEntryTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_client_credentials_token_writes_no_entry_and_revoking_it_writes_one_that_every_endpoint_honours()
    {
        var token = await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret);
        var jti = Guid.Parse(ForgedTokens.Decode(token).Payload["jti"]!.GetValue<string>());
        await using (var db = Factory.Database.Owner())
            Assert.Equal(0, await db.OidcTokens.CountAsync());
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, token));
        Assert.True(await ActiveAsync(token));

        using (var revoke = await RevokeAsync(Factory, token, TenantA.ClientId, TenantA.ClientSecret))
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        await using (var db = Factory.Database.Owner())
        {
            var entry = await db.OidcTokens.SingleAsync();
            Assert.Equal((jti, TenantA.Id, "revoked"), (entry.Id, entry.TenantId, entry.Status));
            Assert.NotNull(entry.ExpirationDate);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, token));
        Assert.False(await ActiveAsync(token));
        // A request with a body checks the token on the platform role: refused there too, and nothing is written.
        using (var api = Bearer(Factory, token))
        using (var create = await api.PostAsJsonAsync("/api/customers", new { name = "Written with a revoked token" }))
            Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        await using (var db = Factory.Database.Owner())
            Assert.False(await db.Customers.IgnoreQueryFilters().AnyAsync(c => c.Name == "Written with a revoked token"));
        // Revoking it again changes nothing and still answers 200.
        using (var again = await RevokeAsync(Factory, token, TenantA.ClientId, TenantA.ClientSecret))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await using (var db = Factory.Database.Owner())
            Assert.Equal(1, await db.OidcTokens.CountAsync());

        // Another token of the same client is untouched.
        var other = await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, other));
    }

    [Fact]
    public async Task A_persons_access_token_is_refused_everywhere_once_its_family_is_revoked_by_a_spent_refresh_token()
    {
        var member = await Factory.AddUserAsync(TenantA, "ann.member@a.example", UserRole.Member);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        using var api = Bearer(Factory, tokens.AccessToken);
        using (var userinfo = await api.GetAsync("/connect/userinfo"))
            Assert.Equal(HttpStatusCode.OK, userinfo.StatusCode);
        Assert.True(await ActiveAsync(tokens.AccessToken));

        using (var rotated = await RefreshAsync(Factory, tokens.RefreshToken!))
            await AssertTokensAsync(rotated);
        using (var replay = await RefreshAsync(Factory, tokens.RefreshToken!))
            await AssertOAuthErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));
        Assert.False(await ActiveAsync(tokens.AccessToken));
        using (var userinfo = await api.GetAsync("/connect/userinfo"))
            Assert.Equal(HttpStatusCode.Unauthorized, userinfo.StatusCode);
    }

    [Fact]
    public async Task A_platform_clients_revoked_token_is_refused_and_its_entry_has_no_tenant()
    {
        var (clientId, secret) = await AddPlatformClientAsync(Factory);
        var token = await Factory.TokenAsync(clientId, secret);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, token, "/api/platform/tenants"));

        using (var revoke = await RevokeAsync(Factory, token, clientId, secret))
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, token, "/api/platform/tenants"));
        await using var db = Factory.Database.Owner();
        var entry = await db.OidcTokens.SingleAsync();
        Assert.Equal((null, "revoked"), (entry.TenantId, entry.Status));
    }

    private async Task<bool> ActiveAsync(string token)
    {
        using var response = await IntrospectAsync(Factory, token, TenantA.ClientId, TenantA.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonOf(response)).GetProperty("active").GetBoolean();
    }
}
