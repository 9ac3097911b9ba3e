using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.FunctionalTests.Users;

/// <summary>
/// The team, managed by a tenant's administrators: users, roles, deactivation, and invitations sent by email and
/// accepted anonymously. Another tenant's administrator finds none of it.
/// </summary>
public sealed class TeamTests(ApiFactory factory) : ApiTest(factory)
{
    private const string NewPassword = "a brand new passphrase";

    private TestUser _adminA = null!;
    private HttpClient _asAdminA = null!;
    private TestUser _adminB = null!;
    private HttpClient _asAdminB = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        (_adminA, _asAdminA) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        (_adminB, _asAdminB) = await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
    }

    public override async ValueTask DisposeAsync()
    {
        _asAdminA.Dispose();
        _asAdminB.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task An_admin_lists_the_team_and_sees_itself_and_never_another_tenants_users()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");

        using var response = await _asAdminA.GetAsync("/api/team/users");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Json(response);
        Assert.Equal(2, page.GetProperty("totalCount").GetInt32());
        var self = page.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("id").GetGuid() == _adminA.Id);
        Assert.Equal("admin@a.example", self.GetProperty("email").GetString());
        Assert.Equal("tenantAdmin", self.GetProperty("role").GetString());
        Assert.True(self.GetProperty("active").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, self.GetProperty("lastSignInAt").ValueKind);
        Assert.Contains(member.Id.ToString(), Ids(page));

        var text = await _asAdminB.GetStringAsync("/api/team/users");
        Assert.DoesNotContain(_adminA.Id.ToString(), text);
        Assert.DoesNotContain(member.Id.ToString(), text);
        Assert.DoesNotContain("@a.example", text);
        Assert.Equal([_adminB.Id.ToString()], Ids(await Json(await _asAdminB.GetAsync("/api/team/users"))));

        using var one = await _asAdminA.GetAsync($"/api/team/users/{member.Id}");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.NotNull(one.Headers.ETag);
        Assert.Equal("member", (await Json(one)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task An_invitation_is_emailed_accepted_anonymously_and_the_new_user_signs_in_with_the_invited_role()
    {
        using var invited = await _asAdminA.PostAsJsonAsync("/api/team/invitations", new { email = "New.Person@a.example", role = "member" });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var invitation = await Json(invited);
        var invitationId = invitation.GetProperty("id").GetString();
        Assert.Equal($"/api/team/invitations/{invitationId}", invited.Headers.Location!.OriginalString);
        Assert.Equal("member", invitation.GetProperty("role").GetString());
        Assert.True(invitation.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6));
        Assert.DoesNotContain("token", invitation.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // The development sender wrote the email; the token is in it and nowhere else.
        var mail = Factory.LatestMailTo("New.Person@a.example");
        Assert.NotNull(mail);
        Assert.Contains("Subject: You are invited to CrmTenancy", mail);
        var token = Factory.InvitationTokenFor("New.Person@a.example");
        Assert.StartsWith(TenantA.Id.ToString("N") + ".", token);
        Assert.Contains(Uri.EscapeDataString(token), mail);
        // It went out through the outbox once the invitation committed; the outbox row holds the token sealed, never in clear.
        await using (var db = Factory.Database.Owner())
        {
            var payload = await db.Database.SqlQuery<string>(
                $"SELECT payload::text AS \"Value\" FROM outbox_messages WHERE type = 'InvitationIssued'").SingleAsync();
            Assert.Contains(invitationId!, payload);
            Assert.DoesNotContain(token, payload);
            Assert.DoesNotContain(token.Split('.')[1], payload);
        }

        Assert.Contains(invitationId!, Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))));
        var listOfB = await _asAdminB.GetStringAsync("/api/team/invitations");
        Assert.DoesNotContain(invitationId!, listOfB);
        Assert.DoesNotContain("a.example", listOfB, StringComparison.OrdinalIgnoreCase);

        using var anonymous = Anonymous();
        using var accepted = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, displayName = "New Person", password = NewPassword });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var user = await Json(accepted);
        Assert.Equal(TenantA.Id, user.GetProperty("tenantId").GetGuid());
        Assert.Equal("member", user.GetProperty("role").GetString());
        var userId = user.GetProperty("userId").GetGuid();

        using var asNew = await Factory.ClientForAsync(new TestUser(userId, TenantA.Id, "tenant-a", "new.person@a.example", NewPassword, UserRole.Member));
        var me = await Json(await asNew.GetAsync("/api/me"));
        Assert.Equal(userId, me.GetProperty("userId").GetGuid());
        Assert.Equal("New Person", me.GetProperty("displayName").GetString());
        Assert.Equal(TenantA.Id, me.GetProperty("tenant").GetProperty("id").GetGuid());
        Assert.Equal(["Member"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        // A member does not manage the team.
        Assert.Equal(HttpStatusCode.Forbidden, (await asNew.GetAsync("/api/team/users")).StatusCode);

        Assert.Contains(userId.ToString(), Ids(await Json(await _asAdminA.GetAsync("/api/team/users"))));
        Assert.DoesNotContain(invitationId!, Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))));

        // Used once: the second time it is invalid, and nothing else is created.
        using var again = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, displayName = "Again", password = NewPassword });
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "invitation-invalid");
        Assert.Equal(2, (await Json(await _asAdminA.GetAsync("/api/team/users"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task An_admin_invitation_makes_an_admin()
    {
        var token = await InviteAsync(_asAdminA, "deputy@a.example", "tenantAdmin");
        using var anonymous = Anonymous();
        using var accepted = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, displayName = "Deputy", password = NewPassword });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var userId = (await Json(accepted)).GetProperty("userId").GetGuid();

        using var asDeputy = await Factory.ClientForAsync(new TestUser(userId, TenantA.Id, "tenant-a", "deputy@a.example", NewPassword, UserRole.TenantAdmin));
        Assert.Equal(["TenantAdmin"], (await Json(await asDeputy.GetAsync("/api/me"))).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await asDeputy.GetAsync("/api/team/users")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_an_expired_or_a_replaced_invitation_gets_409_invitation_invalid_and_creates_no_user()
    {
        using var anonymous = Anonymous();

        var revokedToken = await InviteAsync(_asAdminA, "revoked@a.example");
        var revokedId = Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))).Single();
        using (var revoke = await _asAdminA.DeleteAsync($"/api/team/invitations/{revokedId}"))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Empty(Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))));

        var expiredToken = await InviteAsync(_asAdminA, "expired@a.example");
        await using (var db = Factory.Database.Owner())
        {
            await db.Set<Invitation>().IgnoreQueryFilters().Where(i => i.NormalizedEmail == "EXPIRED@A.EXAMPLE")
                .ExecuteUpdateAsync(set => set.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)), TestContext.Current.CancellationToken);
        }
        Assert.Empty(Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))));

        // Inviting the same address again replaces the pending invitation: the first token stops working.
        var replacedToken = await InviteAsync(_asAdminA, "twice@a.example");
        var currentToken = await InviteAsync(_asAdminA, "twice@a.example");
        Assert.NotEqual(replacedToken, currentToken);
        Assert.Single(Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))));

        foreach (var token in new[] { revokedToken, expiredToken, replacedToken })
        {
            using var response = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, displayName = "Nobody", password = NewPassword });
            await AssertProblemAsync(response, HttpStatusCode.Conflict, "invitation-invalid");
        }
        Assert.Equal([_adminA.Id.ToString()], Ids(await Json(await _asAdminA.GetAsync("/api/team/users"))));

        using var current = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token = currentToken, displayName = "Twice", password = NewPassword });
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
    }

    [Fact]
    public async Task A_suspended_tenant_takes_no_one_in_through_an_invitation()
    {
        var token = await InviteAsync(_asAdminA, "late@a.example");
        await using (var db = Factory.Database.Owner())
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Id == TenantA.Id, TestContext.Current.CancellationToken);
            tenant.Suspend("Test suspension", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        using var anonymous = Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, displayName = "Late", password = NewPassword });
        await AssertProblemAsync(response, HttpStatusCode.Conflict, "invitation-invalid");
        await using var check = Factory.Database.Owner();
        Assert.False(await check.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == "LATE@A.EXAMPLE", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_token_edited_to_name_another_tenant_or_made_up_gets_409_and_creates_no_user_anywhere()
    {
        var token = await InviteAsync(_asAdminA, "target@a.example");
        var forB = TenantB.Id.ToString("N") + token[32..];
        var madeUp = TenantA.Id.ToString("N") + "." + SignIn.Base64Url(new byte[32]);
        using var anonymous = Anonymous();

        foreach (var forged in new[] { forB, madeUp, Guid.Empty.ToString("N") + token[32..], "garbage", token[..^1], token + "x", token.ToUpperInvariant() })
        {
            using var response = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token = forged, displayName = "Mallory", password = NewPassword });
            await AssertProblemAsync(response, HttpStatusCode.Conflict, "invitation-invalid");
        }

        await using var db = Factory.Database.Owner();
        Assert.Equal(0, await db.Users.IgnoreQueryFilters().CountAsync(u => u.NormalizedEmail == "TARGET@A.EXAMPLE"));
        Assert.Equal([_adminB.Id], await db.Users.IgnoreQueryFilters().Where(u => u.TenantId == TenantB.Id).Select(u => u.Id).ToListAsync());
        // The real token still works afterwards.
        using var accepted = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, displayName = "Target", password = NewPassword });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task Inviting_an_existing_users_email_gets_409_user_exists_and_sends_nothing()
    {
        foreach (var email in new[] { "admin@a.example", "ADMIN@A.example" })
        {
            using var response = await _asAdminA.PostAsJsonAsync("/api/team/invitations", new { email, role = "member" });
            await AssertProblemAsync(response, HttpStatusCode.Conflict, "user-exists");
        }
        Assert.Null(Factory.LatestMailTo("admin@a.example"));
        Assert.Empty(Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))));

        // The same address in another tenant is someone else's business: B may invite it.
        using var inB = await _asAdminB.PostAsJsonAsync("/api/team/invitations", new { email = "admin@a.example", role = "member" });
        Assert.Equal(HttpStatusCode.Created, inB.StatusCode);
    }

    [Fact]
    public async Task Roles_change_and_the_last_active_admin_cannot_be_demoted_or_deactivated()
    {
        var (member, asMember) = await UserAsync(TenantA, "member@a.example");
        using var memberClient = asMember;

        // Alone, the admin can neither demote nor deactivate itself.
        using (var demoteSelf = await _asAdminA.PutAsJsonAsync($"/api/team/users/{_adminA.Id}/role", new { role = "member" }))
            await AssertProblemAsync(demoteSelf, HttpStatusCode.Conflict, "last-admin");
        using (var deactivateSelf = await _asAdminA.PostAsync($"/api/team/users/{_adminA.Id}/deactivate", null))
            await AssertProblemAsync(deactivateSelf, HttpStatusCode.Conflict, "last-admin");
        Assert.Equal("tenantAdmin", (await Json(await _asAdminA.GetAsync($"/api/team/users/{_adminA.Id}"))).GetProperty("role").GetString());

        using var promoted = await _asAdminA.PutAsJsonAsync($"/api/team/users/{member.Id}/role", new { role = "tenantAdmin" });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal("tenantAdmin", (await Json(promoted)).GetProperty("role").GetString());
        // New rights, new tokens: the old one stops working; a fresh sign-in carries the admin role.
        Assert.Equal(HttpStatusCode.Unauthorized, (await asMember.GetAsync("/api/me")).StatusCode);
        using var asPromoted = await Factory.ClientForAsync(member with { Role = UserRole.TenantAdmin });
        Assert.Equal(HttpStatusCode.OK, (await asPromoted.GetAsync("/api/team/users")).StatusCode);

        // With two admins, one may step down; then the other is the last one.
        using var stepDown = await _asAdminA.PutAsJsonAsync($"/api/team/users/{_adminA.Id}/role", new { role = "member" });
        Assert.Equal(HttpStatusCode.OK, stepDown.StatusCode);
        using var demoteLast = await asPromoted.PutAsJsonAsync($"/api/team/users/{member.Id}/role", new { role = "member" });
        await AssertProblemAsync(demoteLast, HttpStatusCode.Conflict, "last-admin");
    }

    [Fact]
    public async Task Deactivation_ends_access_at_once_and_reactivation_restores_sign_in()
    {
        var (member, asMember) = await UserAsync(TenantA, "member@a.example");
        using var memberClient = asMember;
        Assert.Equal(HttpStatusCode.OK, (await asMember.GetAsync("/api/customers")).StatusCode);

        using var deactivated = await _asAdminA.PostAsync($"/api/team/users/{member.Id}/deactivate", null);
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        var body = await Json(deactivated);
        Assert.False(body.GetProperty("active").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("deactivatedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asMember.GetAsync("/api/customers")).StatusCode);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Factory.ClientForAsync(member));

        using var reactivated = await _asAdminA.PostAsync($"/api/team/users/{member.Id}/reactivate", null);
        Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        Assert.True((await Json(reactivated)).GetProperty("active").GetBoolean());
        using var again = await Factory.ClientForAsync(member);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/customers")).StatusCode);
    }

    [Fact]
    public async Task A_stale_if_match_on_a_users_role_gets_412_and_changes_nothing()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        using var read = await _asAdminA.GetAsync($"/api/team/users/{member.Id}");
        var etag = read.Headers.ETag!.Tag;
        using (var changed = await _asAdminA.SendAsync(Request(HttpMethod.Put, $"/api/team/users/{member.Id}/role", new { role = "tenantAdmin" }, etag)))
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        using var stale = await _asAdminA.SendAsync(Request(HttpMethod.Put, $"/api/team/users/{member.Id}/role", new { role = "member" }, etag));
        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "stale-etag");
        Assert.Equal("tenantAdmin", (await Json(await _asAdminA.GetAsync($"/api/team/users/{member.Id}"))).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Another_tenants_admin_gets_404_for_a_user_and_an_invitation_of_A_and_changes_nothing()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        await InviteAsync(_asAdminA, "pending@a.example");
        var invitationId = Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))).Single();
        var userBefore = (await Json(await _asAdminA.GetAsync($"/api/team/users/{member.Id}"))).GetRawText();
        var missing = await AssertProblemAsync(await _asAdminB.GetAsync($"/api/team/users/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound, "not-found");

        var attempts = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, $"/api/team/users/{member.Id}", null),
            (HttpMethod.Put, $"/api/team/users/{member.Id}/role", new { role = "tenantAdmin" }),
            (HttpMethod.Post, $"/api/team/users/{member.Id}/deactivate", null),
            (HttpMethod.Post, $"/api/team/users/{member.Id}/reactivate", null),
            (HttpMethod.Get, $"/api/team/users/{_adminA.Id}", null),
            (HttpMethod.Post, $"/api/team/users/{_adminA.Id}/deactivate", null),
            (HttpMethod.Delete, $"/api/team/invitations/{invitationId}", null),
        };
        foreach (var (method, url, body) in attempts)
        {
            using var response = await _asAdminB.SendAsync(Request(method, url, body));
            var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
            if (url.StartsWith("/api/team/users", StringComparison.Ordinal))
                Assert.Equal(missing.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
        }

        Assert.Equal(userBefore, (await Json(await _asAdminA.GetAsync($"/api/team/users/{member.Id}"))).GetRawText());
        Assert.Equal([invitationId], Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))));
        Assert.Equal(HttpStatusCode.OK, (await _asAdminA.GetAsync("/api/team/users")).StatusCode);
        var listsOfB = await _asAdminB.GetStringAsync("/api/team/users") + await _asAdminB.GetStringAsync("/api/team/invitations");
        Assert.DoesNotContain(member.Id.ToString(), listsOfB);
        Assert.DoesNotContain(invitationId, listsOfB);
    }

    [Fact]
    public async Task Integration_clients_and_members_cannot_manage_the_team()
    {
        // Tenant A's integration client holds crm.admin, but it is not a TenantAdmin user.
        var (_, asMember) = await UserAsync(TenantA, "member@a.example");
        using var memberClient = asMember;
        foreach (var caller in new[] { A, asMember })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.GetAsync("/api/team/users")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.PostAsJsonAsync("/api/team/invitations", new { email = "x@a.example", role = "tenantAdmin" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.PutAsJsonAsync($"/api/team/users/{_adminA.Id}/role", new { role = "member" })).StatusCode);
        }
        Assert.Null(Factory.LatestMailTo("x@a.example"));
    }

    public static TheoryData<string, string, string> BadTeamRequests => new()
    {
        // method and url ({user} is A's member), body, the field the problem names
        { "POST /api/team/invitations", """{"email":"x@a.example","role":"owner"}""", "role" },
        { "POST /api/team/invitations", """{"email":"x@a.example","role":5}""", "role" },
        { "POST /api/team/invitations", """{"email":"not-an-email","role":"member"}""", "email" },
        { "POST /api/team/invitations", """{"email":"","role":"member"}""", "email" },
        { "POST /api/team/invitations", $$"""{"email":"{{new string('x', 250)}}@a.example","role":"member"}""", "email" },
        { "POST /api/team/invitations", """{"email":"x@a.example","role":"member","tenantId":"00000000-0000-0000-0000-000000000001"}""", "tenantId" },
        { "POST /api/team/invitations", """{"email":["x@a.example"],"role":"member"}""", "email" },
        { "POST /api/team/invitations", """{"email":"x@a.example",""", "body" },
        { "POST /api/team/invitations", """not json""", "body" },
        { "PUT /api/team/users/{user}/role", """{"role":"superuser"}""", "role" },
        { "PUT /api/team/users/{user}/role", """{"role":null}""", "role" },
        { "PUT /api/team/users/{user}/role", """{"role":"tenantAdmin","active":false}""", "active" },
        { "PUT /api/team/users/{user}/role", """{"role":""", "role" },
    };

    [Theory]
    [MemberData(nameof(BadTeamRequests))]
    public async Task Bad_team_requests_get_400_naming_the_field_and_change_nothing(string request, string body, string field)
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        var before = (await Json(await _asAdminA.GetAsync($"/api/team/users/{member.Id}"))).GetRawText();
        var (method, url) = (request.Split(' ')[0], request.Split(' ')[1].Replace("{user}", member.Id.ToString()));

        using var message = new HttpRequestMessage(new HttpMethod(method), url) { Content = RawJson(body) };
        using var response = await _asAdminA.SendAsync(message);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal(before, (await Json(await _asAdminA.GetAsync($"/api/team/users/{member.Id}"))).GetRawText());
        Assert.Empty(Ids(await Json(await _asAdminA.GetAsync("/api/team/invitations"))));
        Assert.Null(Factory.LatestMailTo("x@a.example"));
    }

    [Theory]
    [InlineData("""{"displayName":"X","password":"a brand new passphrase"}""", "token")]
    [InlineData("""{"token":"{token}","displayName":"X","password":"short"}""", "password")]
    [InlineData("""{"token":"{token}","displayName":"X","password":"aaaaaaaaaaaaaaa"}""", "password")]
    [InlineData("""{"token":"{token}","displayName":"","password":"a brand new passphrase"}""", "displayName")]
    [InlineData("""{"token":"{token}","password":"a brand new passphrase"}""", "displayName")]
    [InlineData("""{"token":"{token}","displayName":"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX","password":"a brand new passphrase"}""", "displayName")]
    [InlineData("""{"token":"","displayName":"X","password":"a brand new passphrase"}""", "token")]
    [InlineData("""{"token":null,"displayName":"X","password":"a brand new passphrase"}""", "token")]
    [InlineData("""{"token":"{token}","displayName":"X","password":"a brand new passphrase","role":"tenantAdmin"}""", "role")]
    [InlineData("""{"token":42,"displayName":"X","password":"a brand new passphrase"}""", "token")]
    [InlineData("""{"token":"{token}",""", "body")]
    public async Task Bad_acceptances_get_400_naming_the_field_and_leave_the_invitation_usable(string body, string field)
    {
        var token = await InviteAsync(_asAdminA, "invitee@a.example");
        using var anonymous = Anonymous();

        using var response = await anonymous.PostAsync("/api/invitations/accept", RawJson(body.Replace("{token}", token)));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal([_adminA.Id.ToString()], Ids(await Json(await _asAdminA.GetAsync("/api/team/users"))));
        using var accepted = await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token, displayName = "Invitee", password = NewPassword });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task Accepting_while_sending_a_token_gets_400_and_creates_no_user()
    {
        var token = await InviteAsync(_asAdminA, "invitee@a.example");
        foreach (var caller in new[] { A, B, _asAdminB })
        {
            using var response = await caller.PostAsJsonAsync("/api/invitations/accept", new { token, displayName = "X", password = NewPassword });
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation", "authorization");
        }
        await using var db = Factory.Database.Owner();
        Assert.False(await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == "INVITEE@A.EXAMPLE"));
    }

    [Theory]
    [InlineData("/api/team/users?page=0", "page")]
    [InlineData("/api/team/users?pageSize=101", "pageSize")]
    [InlineData("/api/team/users?pageSize=abc", "pageSize")]
    [InlineData("/api/team/users/not-a-guid", null)]
    public async Task Bad_team_queries_get_a_4xx_problem_never_a_500(string url, string? parameter)
    {
        using var response = await _asAdminA.GetAsync(url);
        if (parameter is null)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            return;
        }
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: parameter);
    }

    /// <summary>Invites the address as the admin; returns the token from the email.</summary>
    private async Task<string> InviteAsync(HttpClient admin, string email, string role = "member")
    {
        using var response = await admin.PostAsJsonAsync("/api/team/invitations", new { email, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Factory.InvitationTokenFor(email);
    }
}
