using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Users;

/// <summary>Invitations an administrator sent do not outlive their being an administrator.</summary>
public sealed class InvitationTrustTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Password = "a long enough passphrase";

    [Theory]
    [InlineData("deactivate")]
    [InlineData("demote")]
    public async Task A_former_admins_pending_invitations_are_revoked_and_another_admins_stay_valid(string change)
    {
        var former = await Factory.AddUserAsync(TenantA, "former@a.example", UserRole.TenantAdmin);
        var keeper = await Factory.AddUserAsync(TenantA, "keeper@a.example", UserRole.TenantAdmin);
        using var asFormer = await Factory.ClientForAsync(former);
        using var asKeeper = await Factory.ClientForAsync(keeper);
        foreach (var (client, email) in new[] { (asFormer, "from-former@a.example"), (asKeeper, "from-keeper@a.example") })
        {
            using var invite = await client.PostAsJsonAsync("/api/team/invitations", new { email, role = "tenantAdmin" });
            Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        }

        using (var response = change == "deactivate"
                   ? await asKeeper.PostAsync($"/api/team/users/{former.Id}/deactivate", null)
                   : await asKeeper.PutAsJsonAsync($"/api/team/users/{former.Id}/role", new { role = "member" }))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var anonymous = Factory.CreateClient();
        using (var revoked = await anonymous.PostAsJsonAsync("/api/invitations/accept",
                   new { token = Factory.InvitationTokenFor("from-former@a.example"), displayName = "Late", password = Password }))
            await AssertProblemAsync(revoked, HttpStatusCode.Conflict, "invitation-invalid");
        using var kept = await anonymous.PostAsJsonAsync("/api/invitations/accept",
            new { token = Factory.InvitationTokenFor("from-keeper@a.example"), displayName = "Kept", password = Password });
        Assert.Equal(HttpStatusCode.Created, kept.StatusCode);
    }
}
