using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using AccountEndpoints = CrmTenancy.WebApi.Endpoints.Account;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests;

/// <summary>
/// Findings of the review of the authorization server and user management, one test each: the refresh reuse race,
/// hidden contacts seen through a visible customer, the lockout timing oracle, passwords trimmed at sign-in, unsafe
/// characters in return and redirect URIs, and a stray bearer token at the sign-in endpoints.
/// </summary>
public sealed class IdentityReviewTests(ApiFactory factory) : ApiTest(factory)
{
    // ---- refresh token reuse detection must not lose a race -------------------------------------------------------

    [Fact]
    public async Task After_parallel_refreshes_of_one_token_no_token_of_the_family_stays_usable()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        // The race is between the loser's revocation of the family and the winner's insert of its new token: a few rounds.
        for (var round = 0; round < 4; round++)
        {
            using var signIn = new SignIn(Factory);
            var tokens = await signIn.TokensAsync(member);

            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(Factory, tokens.RefreshToken!)));
            var issued = new List<string>();
            foreach (var response in responses)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                    issued.Add((await JsonOf(response)).GetProperty("refresh_token").GetString()!);
                response.Dispose();
            }
            Assert.True(issued.Count <= 1, $"{issued.Count} parallel refreshes succeeded");

            // The reuse revoked the whole family, the token the winner got included.
            foreach (var token in issued)
            {
                using var again = await RefreshAsync(Factory, token);
                await AssertOAuthErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
            }
        }
    }

    [Fact]
    public async Task A_replay_racing_the_next_rotation_still_revokes_the_token_that_rotation_issued()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        for (var round = 0; round < 4; round++)
        {
            using var signIn = new SignIn(Factory);
            var first = (await signIn.TokensAsync(member)).RefreshToken!;
            string second;
            using (var rotated = await RefreshAsync(Factory, first))
                second = (await AssertTokensAsync(rotated)).GetProperty("refresh_token").GetString()!;

            // The legitimate client rotates the current token while a thief replays the spent one.
            var legitimate = RefreshAsync(Factory, second);
            var replays = Enumerable.Range(0, 3).Select(_ => RefreshAsync(Factory, first)).ToList();
            foreach (var replay in await Task.WhenAll(replays))
            {
                await AssertOAuthErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");
                replay.Dispose();
            }
            using var answer = await legitimate;
            if (answer.StatusCode != HttpStatusCode.OK)
                continue;
            using var again = await RefreshAsync(Factory, (await JsonOf(answer)).GetProperty("refresh_token").GetString()!);
            await AssertOAuthErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    [Fact]
    public async Task After_parallel_redemptions_of_one_code_no_refresh_token_stays_usable()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        for (var round = 0; round < 4; round++)
        {
            using var signIn = new SignIn(Factory);
            var code = SignIn.CodeOf(await signIn.AuthorizeAsync(member.Organisation, member.Email, member.Password))!;

            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => signIn.RedeemAsync(code)));
            var issued = new List<string>();
            foreach (var response in responses)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                    issued.Add((await JsonOf(response)).GetProperty("refresh_token").GetString()!);
                response.Dispose();
            }
            Assert.True(issued.Count <= 1, $"{issued.Count} parallel redemptions succeeded");
            foreach (var token in issued)
            {
                using var again = await RefreshAsync(Factory, token);
                await AssertOAuthErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
            }
        }
    }

    // ---- owner-only record visibility through a visible customer --------------------------------------------------

    [Fact]
    public async Task A_member_assigned_a_customer_neither_counts_nor_finds_its_contacts_they_cannot_see()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, m1) = await UserAsync(TenantA, "m1@a.example");
        var (m2User, m2) = await UserAsync(TenantA, "m2@a.example");
        using (admin)
        using (m1)
        using (m2)
        {
            var customerId = (await CreateCustomerAsync(m1, new { name = "Plain Name Ltd" })).GetProperty("id").GetString()!;
            await CreateContactAsync(m1, new { firstName = "Secretive", lastName = "Quokka", email = "quokka@hidden.example", customerId });
            using (var assign = await admin.PutAsJsonAsync($"/api/customers/{customerId}/assignee", new { assigneeId = m2User.Id }))
                Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
            using (var visibility = await admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
                Assert.Equal(HttpStatusCode.OK, visibility.StatusCode);

            // Control: the owner of the contact counts it and finds the customer by the contact's name.
            Assert.Equal(1, (await Json(await m1.GetAsync($"/api/customers/{customerId}"))).GetProperty("contactCount").GetInt32());
            Assert.Equal([customerId], Ids(await Json(await m1.GetAsync("/api/customers?search=quokka"))));

            // M2 sees the customer, not the contact: neither the count nor a search by the contact's name or email tells.
            Assert.Empty(Ids(await Json(await m2.GetAsync("/api/contacts?search=quokka"))));
            Assert.Equal(0, (await Json(await m2.GetAsync($"/api/customers/{customerId}"))).GetProperty("contactCount").GetInt32());
            var list = await Json(await m2.GetAsync("/api/customers"));
            Assert.Equal(0, list.GetProperty("items").EnumerateArray().Single().GetProperty("contactCount").GetInt32());
            Assert.Empty(Ids(await Json(await m2.GetAsync("/api/customers?search=quokka"))));
            Assert.Empty(Ids(await Json(await m2.GetAsync("/api/customers?search=hidden.example"))));
            Assert.Equal([customerId], Ids(await Json(await m2.GetAsync("/api/customers?search=plain"))));
        }
    }

    // ---- a left-out enum must not default to its first value: TenantAdmin, Shared ----------------------------------

    [Fact]
    public async Task An_invitation_or_role_change_without_a_role_and_a_visibility_change_without_a_value_are_refused()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        using (admin)
        {
            using (var invite = await admin.PostAsync("/api/team/invitations", RawJson("""{"email":"left-out-role@a.example"}""")))
                await AssertProblemAsync(invite, HttpStatusCode.BadRequest, field: "role");
            Assert.Equal(0, (await Json(await admin.GetAsync("/api/team/invitations"))).GetArrayLength());
            Assert.Null(Factory.LatestMailTo("left-out-role@a.example"));

            using (var change = await admin.PutAsync($"/api/team/users/{member.Id}/role", RawJson("{}")))
                await AssertProblemAsync(change, HttpStatusCode.BadRequest, field: "role");
            using (var nullRole = await admin.PutAsync($"/api/team/users/{member.Id}/role", RawJson("""{"role":null}""")))
                await AssertProblemAsync(nullRole, HttpStatusCode.BadRequest, field: "role");
            Assert.Equal("member", (await Json(await admin.GetAsync($"/api/team/users/{member.Id}"))).GetProperty("role").GetString());

            using (var ownerOnly = await admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
                Assert.Equal(HttpStatusCode.OK, ownerOnly.StatusCode);
            using (var empty = await admin.PutAsync("/api/tenant/settings/record-visibility", RawJson("{}")))
                await AssertProblemAsync(empty, HttpStatusCode.BadRequest, field: "recordVisibility");
            Assert.Equal("ownerOnly", (await Json(await admin.GetAsync("/api/tenant/settings"))).GetProperty("recordVisibility").GetString());

            // Control: the role given is the role invited.
            using var right = await admin.PostAsJsonAsync("/api/team/invitations", new { email = "left-out-role@a.example", role = "member" });
            Assert.Equal("member", (await Json(right)).GetProperty("role").GetString());
        }
    }

    // ---- sign-in: a locked account costs what an unknown one does ---------------------------------------------------

    /// <summary>Counts password verifications, to compare the work of each sign-in path without timing it.</summary>
    private sealed class CountingHasher : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task A_sign_in_to_a_locked_account_verifies_a_password_like_one_to_an_unknown_email()
    {
        var hasher = new CountingHasher();
        await using var host = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IPasswordHasher<User>>(hasher)));
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");

        async Task<int> VerificationsOfAsync(string email, string password)
        {
            using var signIn = new SignIn(host);
            var before = hasher.Verifications;
            using var response = await signIn.PostLoginAsync(signIn.AuthorizeUrl(), member.Organisation, email, password);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(AccountEndpoints.SignInFailed, ErrorText(await response.Content.ReadAsStringAsync()));
            return hasher.Verifications - before;
        }

        var unknown = await VerificationsOfAsync("nobody@a.example", "whatever it is");
        Assert.Equal(1, unknown);
        for (var i = 1; i <= 5; i++)
            Assert.Equal(unknown, await VerificationsOfAsync(member.Email, $"wrong guess {i}"));
        // Locked now: the answer reads the same, and it must cost the same, or its speed says the email exists.
        Assert.Equal(unknown, await VerificationsOfAsync(member.Email, "yet another guess"));
        Assert.Equal(unknown, await VerificationsOfAsync(member.Email, member.Password));
    }

    // ---- sign-in: the password is what was chosen, spaces included ------------------------------------------------

    [Fact]
    public async Task A_password_with_surrounding_spaces_chosen_at_sign_up_signs_in_as_it_was_chosen()
    {
        const string password = " spaced out passphrase ";
        using var anonymous = Anonymous();
        using (var signUp = await anonymous.PostAsJsonAsync("/api/signup",
                   new { organisationName = "Spaces", slug = "spaces", email = "founder@spaces.example", displayName = "Founder", password }))
            Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);

        using var signIn = new SignIn(Factory);
        using (var trimmed = await signIn.PostLoginAsync(signIn.AuthorizeUrl(), "spaces", "founder@spaces.example", password.Trim()))
            Assert.Equal(HttpStatusCode.BadRequest, trimmed.StatusCode);
        using var exact = await signIn.PostLoginAsync(signIn.AuthorizeUrl(), "spaces", "founder@spaces.example", password);
        Assert.Equal(HttpStatusCode.Redirect, exact.StatusCode);
    }

    // ---- unsafe characters in the URIs the server redirects to ----------------------------------------------------

    [Theory]
    [InlineData("/connect/authorize?client_id=test-web&x=caf\u00e9")]
    [InlineData("/connect/authorize?client_id=test-web&x=\r\nSet-Cookie:%20a=b")]
    [InlineData("/connect/authorize?client_id=test-web&x=a b")]
    public async Task A_return_url_with_characters_a_location_header_cannot_carry_is_not_used(string returnUrl)
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        using var signIn = new SignIn(Factory);
        using var page = await signIn.Browser.GetAsync("/account/login");
        var antiforgery = Antiforgery(await page.Content.ReadAsStringAsync());

        // Posted as the form would be if a page had put it there: the login page itself never renders such a URL.
        using var login = await signIn.Browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["returnUrl"] = returnUrl,
            ["organisation"] = member.Organisation,
            ["email"] = member.Email,
            ["password"] = member.Password,
        }));

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/account/login?signedIn=1", login.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("https://caf\u00e9.example/callback")]
    [InlineData("https://app.example/caf\u00e9")]
    [InlineData("https://app.example/call back")]
    [InlineData("https://app.example/callback?x=\u00e9")]
    public async Task A_redirect_uri_that_is_not_plain_ascii_is_refused_at_registration(string redirectUri)
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using (admin)
        {
            using var response = await admin.PostAsJsonAsync("/api/clients", new { name = "Portal", scopes = new[] { Scopes.Read }, redirectUris = new[] { redirectUri } });
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: "redirectUris");
        }
    }

    // ---- a stray bearer token at the authorization server's own endpoints -----------------------------------------

    [Fact]
    public async Task A_bearer_token_of_one_tenant_sent_along_to_the_token_endpoints_does_not_break_another_tenants_request()
    {
        var memberA = await Factory.AddUserAsync(TenantA, "member@a.example");
        var memberB = await Factory.AddUserAsync(TenantB, "member@b.example");
        using var signInB = new SignIn(Factory);
        var tokensB = await signInB.TokensAsync(memberB);
        using var signInA = new SignIn(Factory);
        var tokensA = await signInA.TokensAsync(memberA);
        var bearerA = new AuthenticationHeaderValue("Bearer", tokensA.AccessToken);

        using (var refresh = await PostFormAsync(Factory, "/connect/token", new()
               {
                   ["grant_type"] = "refresh_token", ["client_id"] = TestTenants.WebClientId, ["refresh_token"] = tokensB.RefreshToken!,
               }, bearerA))
            await AssertTokensAsync(refresh);
        using (var revoke = await PostFormAsync(Factory, "/connect/revocation", new()
               {
                   ["client_id"] = TestTenants.WebClientId, ["token"] = tokensB.RefreshToken!,
               }, bearerA))
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        // The sign-in pages and the authorize endpoint too: B's member signs in from a browser that sends A's token.
        using var browser = new SignIn(Factory);
        browser.Browser.DefaultRequestHeaders.Authorization = bearerA;
        Assert.NotNull(SignIn.CodeOf(await browser.AuthorizeAsync(memberB.Organisation, memberB.Email, memberB.Password)));
    }

    private static string Antiforgery(string html) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
}
