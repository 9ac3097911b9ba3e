using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>
/// email_verified says what the product knows: an invited user's address received the invitation (true); a
/// self-service sign-up's address was never written to (false). Clients that link accounts by email rely on it.
/// </summary>
public sealed class EmailVerifiedTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task A_signed_up_admins_email_is_not_verified_and_an_invited_users_is()
    {
        using var anonymous = Factory.CreateClient();
        using (var signUp = await anonymous.PostAsJsonAsync("/api/signup", new
               {
                   organisationName = "Fresh Org", slug = "fresh-org", email = "founder@fresh.example", displayName = "Founder", password = Password,
               }))
            Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        var founder = new TestUser(Guid.Empty, Guid.Empty, "fresh-org", "founder@fresh.example", Password, UserRole.TenantAdmin);
        using var asFounder = await Factory.ClientForAsync(founder);
        Assert.False((await Json(await asFounder.GetAsync("/connect/userinfo"))).GetProperty("email_verified").GetBoolean());

        using (var invite = await asFounder.PostAsJsonAsync("/api/team/invitations", new { email = "joiner@fresh.example", role = "member" }))
            Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        using (var accept = await anonymous.PostAsJsonAsync("/api/invitations/accept", new
               {
                   token = Factory.InvitationTokenFor("joiner@fresh.example"), displayName = "Joiner", password = Password,
               }))
            Assert.Equal(HttpStatusCode.Created, accept.StatusCode);
        var joiner = new TestUser(Guid.Empty, Guid.Empty, "fresh-org", "joiner@fresh.example", Password, UserRole.Member);
        using var asJoiner = await Factory.ClientForAsync(joiner);
        Assert.True((await Json(await asJoiner.GetAsync("/connect/userinfo"))).GetProperty("email_verified").GetBoolean());
    }
}
