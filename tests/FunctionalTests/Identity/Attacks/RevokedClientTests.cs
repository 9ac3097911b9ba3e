using System.Net;
using System.Net.Http.Json;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;
using AccountEndpoints = CrmTenancy.WebApi.Endpoints.Account;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Identity.Attacks;

/// <summary>Revoked clients and rotated secrets.</summary>
public sealed class RevokedClientTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
    // ---- 12. revoked clients and rotated secrets ----------------------------------------------------------------

    [Fact]
    public async Task A_revoked_clients_token_is_refused_at_once_and_it_gets_no_new_one()
    {
        var admin = await AdminAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        var client = await RegisterClientAsync(adminApi, "Integration", [Scopes.Read]);
        var token = await Factory.TokenAsync(client.ClientId, client.Secret);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, token));

        using (var revoke = await adminApi.DeleteAsync($"/api/clients/{client.Id}"))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, token));
        using var again = await PostFormAsync(Factory, "/connect/token", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = client.ClientId, ["client_secret"] = client.Secret,
        });
        await AssertOAuthErrorAsync(again, HttpStatusCode.Unauthorized, "invalid_client");
        // The tenant's other client is untouched.
        Assert.Equal(HttpStatusCode.OK, (await A.GetAsync("/api/customers")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_clients_users_lose_their_tokens_and_refresh()
    {
        const string redirectUri = "https://a.example/cb";
        var admin = await AdminAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        var client = await RegisterClientAsync(adminApi, "Portal", [Scopes.Read], [redirectUri]);
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member, signIn.AuthorizeUrl(scope: Scopes.Read, clientId: client.ClientId, redirectUri: redirectUri));
        using var redeemed = await RedeemAsync(Factory, code, client.ClientId, client.Secret, redirectUri, signIn.Verifier);
        var tokens = await AssertTokensAsync(redeemed);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, access));

        using (var revoke = await adminApi.DeleteAsync($"/api/clients/{client.Id}"))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, access));
        using var refresh = await RefreshAsync(Factory, tokens.GetProperty("refresh_token").GetString()!, client.ClientId, client.Secret);
        await AssertOAuthErrorAsync(refresh, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_rotated_secret_replaces_the_old_one()
    {
        var admin = await AdminAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        var client = await RegisterClientAsync(adminApi, "Integration", [Scopes.Read]);

        string newSecret;
        using (var rotate = await adminApi.PostAsync($"/api/clients/{client.Id}/secret", null))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
            Assert.True(rotate.Headers.CacheControl?.NoStore);
            newSecret = (await Json(rotate)).GetProperty("clientSecret").GetString()!;
        }
        Assert.NotEqual(client.Secret, newSecret);

        using (var old = await PostFormAsync(Factory, "/connect/token", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = client.ClientId, ["client_secret"] = client.Secret,
        }))
            await AssertOAuthErrorAsync(old, HttpStatusCode.Unauthorized, "invalid_client");

        using var basic = await PostFormAsync(Factory, "/connect/token", new() { ["grant_type"] = "client_credentials" }, Basic(client.ClientId, client.Secret));
        await AssertOAuthErrorAsync(basic, HttpStatusCode.Unauthorized, "invalid_client");

        var token = await Factory.TokenAsync(client.ClientId, newSecret);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, token));
    }

    [Fact]
    public async Task An_admin_of_tenant_b_cannot_revoke_or_rotate_tenant_as_client()
    {
        var adminA = await AdminAsync();
        var adminB = await Factory.AddUserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
        using var adminAApi = await Factory.ClientForAsync(adminA);
        using var adminBApi = await Factory.ClientForAsync(adminB);
        var client = await RegisterClientAsync(adminAApi, "A integration", [Scopes.Read]);

        using (var revoke = await adminBApi.DeleteAsync($"/api/clients/{client.Id}"))
            Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        using (var rotate = await adminBApi.PostAsync($"/api/clients/{client.Id}/secret", null))
            Assert.Equal(HttpStatusCode.NotFound, rotate.StatusCode);

        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, await Factory.TokenAsync(client.ClientId, client.Secret)));
    }
}
