using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Plans;

/// <summary>
/// Operators suspend and reactivate a tenant, audited with a reason: suspended, nothing of it gets through (sign-in,
/// refresh, client tokens, access tokens already issued) while its data stays; reactivated, access returns, and a refresh
/// token spent or revoked before (a refresh tried while suspended revokes its family) stays so.
/// </summary>
public sealed class TenantSuspensionTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Reason = "The invoice of November is unpaid.";

    [Fact]
    public async Task A_suspension_stops_every_way_in_at_once_keeps_the_data_and_a_reactivation_restores_access()
    {
        var admin = await Factory.AddUserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        using var signIn = new SignIn(Factory);
        var spentTokens = await signIn.TokensAsync(admin);
        using var rotated = await RefreshAsync(Factory, spentTokens.RefreshToken!);
        var live = await AssertTokensAsync(rotated);
        var liveRefresh = live.GetProperty("refresh_token").GetString()!;
        var adminAccess = live.GetProperty("access_token").GetString()!;
        // A second session of the administrator, which nothing tries while the tenant is suspended.
        using var otherSignIn = new SignIn(Factory);
        var untouched = await otherSignIn.TokensAsync(admin);
        var customer = (await CreateCustomerAsync(A, new { name = "Kept while suspended" })).GetProperty("id").GetString()!;
        using var platform = await PlatformOperatorAsync();

        using (var suspended = await platform.PutAsJsonAsync($"/api/platform/tenants/{TenantA.Id}/suspension", new { reason = Reason }))
        {
            Assert.True(suspended.StatusCode == HttpStatusCode.OK, await suspended.Content.ReadAsStringAsync());
            var state = await Json(suspended);
            Assert.Equal(("suspended", Reason), (state.GetProperty("status").GetString(), state.GetProperty("suspensionReason").GetString()));
        }

        // Tokens already issued stop on their next request; no new token, no refresh; tenant B goes on.
        Assert.Equal(HttpStatusCode.Unauthorized, (await A.GetAsync("/api/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, adminAccess));
        await Assert.ThrowsAnyAsync<Exception>(() => Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret));
        using (var refresh = await RefreshAsync(Factory, liveRefresh))
            Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await B.GetAsync("/api/customers")).StatusCode);

        // The right password: the administrator reads the reason, a member that the organisation is suspended; a wrong
        // password says what it always says.
        using (var adminLogin = await new SignIn(Factory).PostLoginAsync(signIn.AuthorizeUrl(), TenantA.Slug, admin.Email, admin.Password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, adminLogin.StatusCode);
            var adminPage = await adminLogin.Content.ReadAsStringAsync();
            Assert.True(adminPage.Contains(System.Net.WebUtility.HtmlEncode(Reason), StringComparison.Ordinal), adminPage);
        }
        using (var memberLogin = await new SignIn(Factory).PostLoginAsync(signIn.AuthorizeUrl(), TenantA.Slug, member.Email, member.Password))
        {
            var page = await memberLogin.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, memberLogin.StatusCode);
            Assert.Contains("access is suspended. Your administrator can tell you more.", page);
            Assert.DoesNotContain("invoice", page);
        }
        using (var wrong = await new SignIn(Factory).PostLoginAsync(signIn.AuthorizeUrl(), TenantA.Slug, admin.Email, "not the password"))
        {
            var page = await wrong.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.DoesNotContain("suspended", page, StringComparison.OrdinalIgnoreCase);
        }
        using (var again = await platform.PutAsJsonAsync($"/api/platform/tenants/{TenantA.Id}/suspension", new { reason = "Twice" }))
            await AssertProblemAsync(again, HttpStatusCode.Conflict, "tenant-already-suspended");

        using (var reactivated = await platform.DeleteAsync($"/api/platform/tenants/{TenantA.Id}/suspension"))
        {
            Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
            Assert.Equal("active", (await Json(reactivated)).GetProperty("status").GetString());
        }

        // Access returns with the data as it was: the untouched session's tokens work again. The session whose refresh
        // was tried while suspended was revoked then (an inactive account's refresh revokes its family), and stays revoked.
        var customers = await Json(await A.GetAsync("/api/customers"));
        Assert.Equal([customer], Ids(customers));
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, untouched.AccessToken));
        using (var refreshed = await RefreshAsync(Factory, untouched.RefreshToken!))
            await AssertTokensAsync(refreshed);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, adminAccess));
        using (var revoked = await RefreshAsync(Factory, liveRefresh))
            Assert.Equal(HttpStatusCode.BadRequest, revoked.StatusCode);
        using (var spent = await RefreshAsync(Factory, spentTokens.RefreshToken!))
            Assert.Equal(HttpStatusCode.BadRequest, spent.StatusCode);

        // Both changes are in the tenant's own audit trail, with the reason.
        using var adminApi = await Factory.ClientForAsync(admin);
        var trail = (await Json(await adminApi.GetAsync("/api/platform-access"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(trail, r => r.GetProperty("action").GetString() == "tenant.suspend" && r.GetProperty("details").GetString() == "reason=" + Reason);
        Assert.Contains(trail, r => r.GetProperty("action").GetString() == "tenant.reactivate");
    }

    [Fact]
    public async Task Only_operators_suspend_a_reason_is_required_and_an_unknown_tenant_is_404()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var disposeAdmin = admin;
        using (var tenantCaller = await admin.PutAsJsonAsync($"/api/platform/tenants/{TenantB.Id}/suspension", new { reason = Reason }))
            Assert.Equal(HttpStatusCode.Forbidden, tenantCaller.StatusCode);
        using var platform = await PlatformOperatorAsync();
        using (var noReason = await platform.PutAsJsonAsync($"/api/platform/tenants/{TenantB.Id}/suspension", new { reason = " " }))
            await AssertProblemAsync(noReason, HttpStatusCode.BadRequest, field: "reason");
        using (var tooLong = await platform.PutAsJsonAsync($"/api/platform/tenants/{TenantB.Id}/suspension", new { reason = new string('x', 501) }))
            await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, field: "reason");
        using (var malformed = await platform.PutAsync($"/api/platform/tenants/{TenantB.Id}/suspension", RawJson("""{"reason": 5}""")))
            await AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
        using (var unknown = await platform.PutAsJsonAsync($"/api/platform/tenants/{Guid.NewGuid()}/suspension", new { reason = Reason }))
            await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        using (var active = await platform.DeleteAsync($"/api/platform/tenants/{TenantB.Id}/suspension"))
            await AssertProblemAsync(active, HttpStatusCode.Conflict, "tenant-already-active");
        Assert.Equal(HttpStatusCode.OK, (await B.GetAsync("/api/customers")).StatusCode);
    }
}
