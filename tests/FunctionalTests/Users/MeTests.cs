using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Users;

/// <summary>GET /api/me: who the caller is, from its token, for a client and for a user.</summary>
public sealed class MeTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_client_token_is_a_client_of_its_tenant_without_a_user()
    {
        using var response = await A.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await Json(response);

        Assert.Equal("client", me.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("userId").ValueKind);
        Assert.Equal(JsonValueKind.Null, me.GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, me.GetProperty("displayName").ValueKind);
        Assert.Equal(TenantA.ClientId, me.GetProperty("clientId").GetString());
        Assert.Equal(TenantA.Id, me.GetProperty("tenant").GetProperty("id").GetGuid());
        Assert.Equal("tenant-a", me.GetProperty("tenant").GetProperty("slug").GetString());
        Assert.Empty(me.GetProperty("roles").EnumerateArray());
        Assert.Equal(["crm.admin", "crm.capture", "crm.read", "crm.write"], Strings(me, "scopes"));

        // A narrower token says so.
        using var reader = await Factory.ClientForAsync(TenantA, "crm.read");
        Assert.Equal(["crm.read"], Strings(await Json(await reader.GetAsync("/api/me")), "scopes"));
        // And tenant B's client is B's.
        Assert.Equal(TenantB.Id, (await Json(await B.GetAsync("/api/me"))).GetProperty("tenant").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_user_token_shows_the_user_their_role_scopes_and_tenant_with_its_record_visibility()
    {
        var (admin, asAdmin) = await UserAsync(TenantA, "boss@a.example", UserRole.TenantAdmin);
        var (member, asMember) = await UserAsync(TenantA, "worker@a.example");
        using var adminClient = asAdmin;
        using var memberClient = asMember;

        var me = await Json(await asMember.GetAsync("/api/me"));
        Assert.Equal("user", me.GetProperty("kind").GetString());
        Assert.Equal(member.Id, me.GetProperty("userId").GetGuid());
        Assert.Equal("worker@a.example", me.GetProperty("email").GetString());
        Assert.Equal("worker", me.GetProperty("displayName").GetString());
        Assert.Equal(["Member"], Strings(me, "roles"));
        var scopes = Strings(me, "scopes");
        Assert.Contains("crm.read", scopes);
        Assert.Contains("crm.write", scopes);
        Assert.DoesNotContain("crm.admin", scopes);
        var tenant = me.GetProperty("tenant");
        Assert.Equal(TenantA.Id, tenant.GetProperty("id").GetGuid());
        Assert.Equal("tenant-a", tenant.GetProperty("slug").GetString());
        Assert.Equal("Tenant tenant-a", tenant.GetProperty("name").GetString());
        Assert.Equal("shared", tenant.GetProperty("recordVisibility").GetString());

        var adminMe = await Json(await asAdmin.GetAsync("/api/me"));
        Assert.Equal(admin.Id, adminMe.GetProperty("userId").GetGuid());
        Assert.Equal(["TenantAdmin"], Strings(adminMe, "roles"));
        Assert.Contains("crm.admin", Strings(adminMe, "scopes"));

        // The tenant's setting shows on the next request.
        using var change = await asAdmin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal("ownerOnly", (await Json(await asMember.GetAsync("/api/me"))).GetProperty("tenant").GetProperty("recordVisibility").GetString());
    }

    [Fact]
    public async Task No_token_or_a_broken_token_gets_401()
    {
        using var anonymous = Anonymous();
        using var none = await anonymous.GetAsync("/api/me");
        await AssertProblemAsync(none, HttpStatusCode.Unauthorized, "token-required");
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);

        using var broken = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        broken.Headers.Authorization = new("Bearer", "not.a.token");
        using var refused = await anonymous.SendAsync(broken);
        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "invalid-token");
    }

    [Fact]
    public async Task A_deactivated_users_token_gets_401_from_me()
    {
        var (_, asAdmin) = await UserAsync(TenantA, "boss@a.example", UserRole.TenantAdmin);
        var (member, asMember) = await UserAsync(TenantA, "worker@a.example");
        using var adminClient = asAdmin;
        using var memberClient = asMember;
        Assert.Equal(HttpStatusCode.OK, (await asMember.GetAsync("/api/me")).StatusCode);

        using var deactivated = await asAdmin.PostAsync($"/api/team/users/{member.Id}/deactivate", null);
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        using var after = await asMember.GetAsync("/api/me");
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized, "invalid-token");
    }

    private static List<string?> Strings(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetString()).ToList();
}
