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

/// <summary>A member at the administrators' endpoints, and a user of one tenant at another tenant's client.</summary>
public sealed class CrossRoleAndTenantAttackTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
    // ---- 8. a member at the admin endpoints ---------------------------------------------------------------------

    [Fact]
    public async Task A_member_gets_403_from_every_admin_endpoint_and_changes_nothing()
    {
        var admin = await AdminAsync();
        var member = await MemberAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        using var memberApi = await Factory.ClientForAsync(member);
        var clientId = (await RegisterClientAsync(adminApi, "Existing", [Scopes.Read])).Id;
        Guid invitationId;
        using (var invite = await adminApi.PostAsJsonAsync("/api/team/invitations", new { email = "new@a.example", role = "member" }))
        {
            Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
            invitationId = (await Json(invite)).GetProperty("id").GetGuid();
        }

        var calls = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, "/api/team/users", null),
            (HttpMethod.Get, $"/api/team/users/{admin.Id}", null),
            (HttpMethod.Put, $"/api/team/users/{member.Id}/role", new { role = "tenantAdmin" }),
            (HttpMethod.Post, $"/api/team/users/{admin.Id}/deactivate", null),
            (HttpMethod.Post, $"/api/team/users/{member.Id}/reactivate", null),
            (HttpMethod.Get, "/api/team/invitations", null),
            (HttpMethod.Post, "/api/team/invitations", new { email = "x@a.example", role = "tenantAdmin" }),
            (HttpMethod.Delete, $"/api/team/invitations/{invitationId}", null),
            (HttpMethod.Get, "/api/clients", null),
            (HttpMethod.Get, $"/api/clients/{clientId}", null),
            (HttpMethod.Post, "/api/clients", new { name = "Mine", scopes = new[] { "crm.read" } }),
            (HttpMethod.Post, $"/api/clients/{clientId}/secret", null),
            (HttpMethod.Delete, $"/api/clients/{clientId}", null),
            (HttpMethod.Put, "/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }),
            (HttpMethod.Get, "/api/platform-access", null),
        };
        foreach (var (method, url, body) in calls)
        {
            using var response = await memberApi.SendAsync(Request(method, url, body));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {url} answered {(int)response.StatusCode} to a member.");
        }

        // Nothing changed: the admin is active, the client and invitation exist, the member is still a member.
        Assert.True((await Json(await adminApi.GetAsync($"/api/team/users/{admin.Id}"))).GetProperty("active").GetBoolean());
        Assert.Equal("member", (await Json(await adminApi.GetAsync($"/api/team/users/{member.Id}"))).GetProperty("role").GetString());
        Assert.Equal(2, (await Json(await adminApi.GetAsync("/api/clients"))).GetArrayLength());
        Assert.Equal(JsonNull, (await Json(await adminApi.GetAsync($"/api/clients/{clientId}"))).GetProperty("revokedAt").ValueKind);
        Assert.Single((await Json(await adminApi.GetAsync("/api/team/invitations"))).EnumerateArray());
        Assert.Equal("shared", (await Json(await memberApi.GetAsync("/api/tenant/settings"))).GetProperty("recordVisibility").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;

    // ---- 9. a user of one tenant at another tenant's client -----------------------------------------------------

    [Fact]
    public async Task A_user_of_tenant_a_at_tenant_bs_client_is_sent_back_with_access_denied_and_no_code()
    {
        const string redirectUri = "https://b.example/cb";
        var adminB = await Factory.AddUserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
        using var adminBApi = await Factory.ClientForAsync(adminB);
        var clientB = await RegisterClientAsync(adminBApi, "B portal", [Scopes.Read], [redirectUri]);
        var memberA = await MemberAsync();

        using var signIn = new SignIn(Factory);
        var redirect = await signIn.AuthorizeAsync(memberA.Organisation, memberA.Email, memberA.Password,
            signIn.AuthorizeUrl(scope: Scopes.Read, clientId: clientB.ClientId, redirectUri: redirectUri));

        Assert.StartsWith(redirectUri + "?", redirect.OriginalString, StringComparison.Ordinal);
        var query = QueryOf(redirect);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal(signIn.State, query["state"]);
        Assert.Equal(ApiFactory.Issuer, query["iss"]);
        Assert.False(query.ContainsKey("code"));

        // Control: B's own user gets a code from the same request, which B's client redeems with its secret.
        var memberB = await Factory.AddUserAsync(TenantB, "member@b.example", UserRole.Member);
        using var signInB = new SignIn(Factory);
        var code = await CodeAsync(signInB, memberB, signInB.AuthorizeUrl(scope: Scopes.Read, clientId: clientB.ClientId, redirectUri: redirectUri));
        using var redeemed = await RedeemAsync(Factory, code, clientB.ClientId, clientB.Secret, redirectUri, signInB.Verifier);
        var token = (await AssertTokensAsync(redeemed)).GetProperty("access_token").GetString()!;
        Assert.Equal(TenantB.Id.ToString(), ForgedTokens.Decode(token).Payload["tenant_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_confidential_client_must_prove_its_secret_to_redeem_a_code()
    {
        const string redirectUri = "https://a.example/cb";
        var secret = await AddConfidentialClientAsync(Factory, TenantA.Id, "tenant-a-portal", [Scopes.Read], redirectUri);
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        string Url() => signIn.AuthorizeUrl(scope: Scopes.Read, clientId: "tenant-a-portal", redirectUri: redirectUri);

        using (var noSecret = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "tenant-a-portal", null, redirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(noSecret, HttpStatusCode.Unauthorized, "invalid_client");
        using (var wrongSecret = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "tenant-a-portal", secret + "x", redirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(wrongSecret, HttpStatusCode.Unauthorized, "invalid_client");

        using var right = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "tenant-a-portal", secret, redirectUri, signIn.Verifier);
        await AssertTokensAsync(right);
    }
}
