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

namespace CrmTenancy.FunctionalTests;

/// <summary>
/// The authorization server against the attacks it must stop, each over real HTTP: replayed and misdirected codes,
/// PKCE downgrades, open redirects, refresh token theft, deactivated and demoted users, password guessing, cross-tenant
/// clients, edited tokens, revoked clients. Each attack test has a control next to it (the same step done right
/// succeeds), so a refusal is the server's doing and not a broken test.
/// </summary>
public sealed class AuthorizationServerAttackTests(ApiFactory factory) : ApiTest(factory)
{
    private const string OtherRedirectUri = "https://app.test/other";

    private static async Task<string> CodeAsync(SignIn signIn, TestUser user, string? authorizeUrl = null)
    {
        var redirect = await signIn.AuthorizeAsync(user.Organisation, user.Email, user.Password, authorizeUrl ?? signIn.AuthorizeUrl());
        return SignIn.CodeOf(redirect) ?? throw new InvalidOperationException($"No code in {redirect}");
    }

    private async Task<TestUser> MemberAsync(string email = "member@a.example") => await Factory.AddUserAsync(TenantA, email, UserRole.Member);

    private async Task<TestUser> AdminAsync(string email = "admin@a.example") => await Factory.AddUserAsync(TenantA, email, UserRole.TenantAdmin);

    // ---- 1. authorization code replay --------------------------------------------------------------------------

    [Fact]
    public async Task A_replayed_code_gets_invalid_grant_and_revokes_the_refresh_token_its_first_redemption_issued()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);

        using var first = await signIn.RedeemAsync(code);
        var refreshToken = (await AssertTokensAsync(first)).GetProperty("refresh_token").GetString()!;

        using var replay = await signIn.RedeemAsync(code);
        await AssertOAuthErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");

        using var refresh = await RefreshAsync(Factory, refreshToken);
        await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    // ---- 2. a code presented by another client or with another redirect_uri -----------------------------------

    [Fact]
    public async Task A_code_redeemed_by_another_client_gets_invalid_grant()
    {
        await AddPublicClientAsync(Factory, "other-web", TestTenants.WebRedirectUri);
        var portalSecret = await AddConfidentialClientAsync(Factory, TenantA.Id, "tenant-a-portal", [.. Scopes.Tenant], TestTenants.WebRedirectUri);
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);

        // Another public client with the very same redirect URI and the right verifier.
        using (var otherPublic = await RedeemAsync(Factory, await CodeAsync(signIn, member), "other-web", null, TestTenants.WebRedirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(otherPublic, HttpStatusCode.BadRequest, "invalid_grant");

        // A confidential client of the user's own tenant, authenticated with its secret.
        using (var portal = await RedeemAsync(Factory, await CodeAsync(signIn, member), "tenant-a-portal", portalSecret, TestTenants.WebRedirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(portal, HttpStatusCode.BadRequest, "invalid_grant");

        // Tenant A's integration client (client_credentials only) may not use the grant at all.
        using (var integration = await RedeemAsync(Factory, await CodeAsync(signIn, member), TenantA.ClientId, TenantA.ClientSecret, TestTenants.WebRedirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(integration, HttpStatusCode.BadRequest, "unauthorized_client");

        // Control: the client the code was issued to redeems a fresh one.
        using var own = await signIn.RedeemAsync(await CodeAsync(signIn, member));
        await AssertTokensAsync(own);
    }

    [Fact]
    public async Task A_code_redeemed_with_another_or_no_redirect_uri_gets_invalid_grant()
    {
        await AddPublicClientAsync(Factory, "two-uris", TestTenants.WebRedirectUri, OtherRedirectUri);
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        string Url() => signIn.AuthorizeUrl(clientId: "two-uris", redirectUri: TestTenants.WebRedirectUri);

        // The other URI is registered for the same client: still not the one the code was issued for.
        using (var other = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "two-uris", null, OtherRedirectUri, signIn.Verifier))
            await AssertOAuthErrorAsync(other, HttpStatusCode.BadRequest, "invalid_grant");
        using (var missing = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "two-uris", null, null, signIn.Verifier))
            await AssertOAuthErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_grant");
        using (var slash = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "two-uris", null, TestTenants.WebRedirectUri + "/", signIn.Verifier))
            await AssertOAuthErrorAsync(slash, HttpStatusCode.BadRequest, "invalid_grant");

        using var right = await RedeemAsync(Factory, await CodeAsync(signIn, member, Url()), "two-uris", null, TestTenants.WebRedirectUri, signIn.Verifier);
        await AssertTokensAsync(right);
    }

    // ---- 3. PKCE ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("missing")]
    [InlineData("wrong")]
    [InlineData("the challenge itself")]
    [InlineData("too short")]
    public async Task A_code_redeemed_without_the_right_code_verifier_gets_invalid_grant(string verifierCase)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);
        var verifier = verifierCase switch
        {
            "missing" => null,
            "wrong" => SignIn.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            "the challenge itself" => signIn.Challenge,
            _ => signIn.Verifier[..42],
        };

        using var response = await RedeemAsync(Factory, code, TestTenants.WebClientId, null, TestTenants.WebRedirectUri, verifier);
        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task The_right_code_verifier_redeems_the_code()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);

        using var response = await RedeemAsync(Factory, await CodeAsync(signIn, member), TestTenants.WebClientId, null, TestTenants.WebRedirectUri, signIn.Verifier);
        var tokens = await AssertTokensAsync(response);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, tokens.GetProperty("access_token").GetString()!));
    }

    [Theory]
    [InlineData("plain", "verifier")]
    [InlineData("PLAIN", "verifier")]
    [InlineData("s256", "challenge")]
    [InlineData(null, "challenge")]
    [InlineData("S256", null)]
    [InlineData(null, null)]
    [InlineData("S256", "short")]
    public async Task An_authorize_request_without_pkce_s256_is_sent_back_with_invalid_request_the_state_and_the_issuer(string? method, string? challenge)
    {
        using var signIn = new SignIn(Factory);
        var url = signIn.AuthorizeUrl(overrides: new Dictionary<string, string?>
        {
            ["code_challenge_method"] = method,
            ["code_challenge"] = challenge switch { "verifier" => signIn.Verifier, "challenge" => signIn.Challenge, "short" => signIn.Challenge[..42], _ => null },
        });

        using var response = await signIn.Browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(TestTenants.WebRedirectUri + "?", location.OriginalString, StringComparison.Ordinal);
        var query = QueryOf(location);
        Assert.Equal("invalid_request", query["error"]);
        Assert.Equal(signIn.State, query["state"]);
        Assert.Equal(ApiFactory.Issuer, query["iss"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task An_error_redirect_without_state_carries_no_state_but_still_the_issuer()
    {
        using var signIn = new SignIn(Factory);
        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl(overrides: new Dictionary<string, string?>
        {
            ["state"] = null, ["code_challenge_method"] = "plain",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryOf(response.Headers.Location!);
        Assert.Equal("invalid_request", query["error"]);
        Assert.False(query.ContainsKey("state"));
        Assert.Equal(ApiFactory.Issuer, query["iss"]);
    }

    // ---- 4. open redirects --------------------------------------------------------------------------------------

    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("https://app.test.evil.example/callback")]
    [InlineData("https://app.test/other")]
    [InlineData("https://app.test/callback?next=https://evil.example")]
    [InlineData("https://app.test/callback/")]
    [InlineData("https://APP.TEST/callback")]
    [InlineData("https://app.test/Callback")]
    [InlineData("HTTPS://app.test/callback")]
    [InlineData("http://app.test/callback")]
    [InlineData("https://app.test:443/callback")]
    [InlineData("https://app.test/callback#x")]
    [InlineData("https://user@app.test/callback")]
    [InlineData("")]
    public async Task An_unregistered_redirect_uri_gets_a_400_page_and_no_redirect_even_for_a_signed_in_user(string redirectUri)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        await CodeAsync(signIn, member); // a live session: a code would be issued at once if the URI were accepted

        // Also malformed in other ways, so an error redirect would have been due once the URI was accepted.
        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl(redirectUri: redirectUri,
            overrides: new Dictionary<string, string?> { ["code_challenge_method"] = "plain" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("redirect_uri is missing or is not one the client registered (it must match exactly).",
            ErrorText(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("nobody-web")]
    [InlineData("TEST-WEB")]
    [InlineData("tenant-a-client")]
    public async Task An_unknown_client_or_one_without_redirect_uris_gets_a_400_page_and_no_redirect(string clientId)
    {
        using var signIn = new SignIn(Factory);

        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl(clientId: clientId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("The client is unknown or may not use the authorization code flow.", ErrorText(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_revoked_client_gets_a_400_page_at_the_authorize_endpoint()
    {
        await using (var db = Factory.Database.Owner())
        {
            db.OAuthClients.Single(c => c.ClientId == TestTenants.WebClientId).Revoke(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        using var signIn = new SignIn(Factory);

        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("///evil.example")]
    [InlineData("https:evil.example")]
    [InlineData("/account/login?x=https://evil.example")]
    [InlineData("/connect/authorize?redirect_uri=//evil.example")]
    [InlineData(" /connect/authorize?client_id=test-web")]
    public async Task The_login_page_never_redirects_to_a_return_url_outside_the_authorize_endpoint(string returnUrl)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);

        using var page = await signIn.Browser.GetAsync(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/account/login", "returnUrl", returnUrl));
        Assert.Contains("name=\"returnUrl\" value=\"\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var login = await signIn.PostLoginAsync(returnUrl, member.Organisation, member.Email, member.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/account/login?signedIn=1", login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_login_page_returns_to_the_authorize_request_it_was_given()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var returnUrl = signIn.AuthorizeUrl();

        using var login = await signIn.PostLoginAsync(returnUrl, member.Organisation, member.Email, member.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(returnUrl, login.Headers.Location!.OriginalString);
    }

    // ---- 5. refresh token rotation and theft --------------------------------------------------------------------

    [Fact]
    public async Task A_refresh_rotates_the_token_and_reusing_the_old_one_revokes_the_whole_family()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        var first = tokens.RefreshToken!;

        using var rotated = await RefreshAsync(Factory, first);
        var body = await AssertTokensAsync(rotated);
        var second = body.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);
        Assert.NotEqual(tokens.AccessToken, body.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, body.GetProperty("access_token").GetString()!));

        using var reuse = await RefreshAsync(Factory, first);
        await AssertOAuthErrorAsync(reuse, HttpStatusCode.BadRequest, "invalid_grant");

        // The thief (or the user) holding the newer token is cut off too.
        using var newer = await RefreshAsync(Factory, second);
        await AssertOAuthErrorAsync(newer, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_refresh_token_presented_by_another_client_gets_invalid_grant_and_stays_usable_by_its_own()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);

        using (var confidential = await RefreshAsync(Factory, tokens.RefreshToken!, TenantA.ClientId, TenantA.ClientSecret))
            await AssertOAuthErrorAsync(confidential, HttpStatusCode.BadRequest, "invalid_grant");
        await AddPublicClientAsync(Factory, "other-web", "https://other.test/cb");
        using (var otherPublic = await RefreshAsync(Factory, tokens.RefreshToken!, "other-web"))
            await AssertOAuthErrorAsync(otherPublic, HttpStatusCode.BadRequest, "invalid_grant");
        // The public client itself, pretending to have a secret, fails authentication.
        using (var withSecret = await RefreshAsync(Factory, tokens.RefreshToken!, TestTenants.WebClientId, "made-up-secret"))
            await AssertOAuthErrorAsync(withSecret, HttpStatusCode.Unauthorized, "invalid_client");

        using var own = await RefreshAsync(Factory, tokens.RefreshToken!);
        await AssertTokensAsync(own);
    }

    [Fact]
    public async Task A_refresh_token_with_an_edited_tenant_prefix_gets_invalid_grant()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        var refresh = tokens.RefreshToken!;
        Assert.StartsWith(TenantA.Id.ToString("N"), refresh, StringComparison.Ordinal);

        using var edited = await RefreshAsync(Factory, TenantB.Id.ToString("N") + refresh[32..]);
        await AssertOAuthErrorAsync(edited, HttpStatusCode.BadRequest, "invalid_grant");
        using var tenantless = await RefreshAsync(Factory, Guid.Empty.ToString("N") + refresh[32..]);
        await AssertOAuthErrorAsync(tenantless, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_refresh_may_narrow_the_scopes_but_never_widen_them()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member, "openid offline_access crm.read");

        using (var wider = await RefreshAsync(Factory, tokens.RefreshToken!, scope: "openid crm.read crm.write"))
            await AssertOAuthErrorAsync(wider, HttpStatusCode.BadRequest, "invalid_scope");

        // The refused request spent nothing: the same token narrows.
        using var narrower = await RefreshAsync(Factory, tokens.RefreshToken!, scope: "crm.read");
        Assert.Equal("crm.read", (await AssertTokensAsync(narrower)).GetProperty("scope").GetString());
    }

    // ---- 6. a deactivated user ----------------------------------------------------------------------------------

    [Fact]
    public async Task A_deactivated_user_loses_access_token_refresh_session_and_sign_in_at_once()
    {
        var admin = await AdminAsync();
        var member = await MemberAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, tokens.AccessToken));

        using (var deactivate = await adminApi.PostAsync($"/api/team/users/{member.Id}/deactivate", null))
        {
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
            Assert.False((await Json(deactivate)).GetProperty("active").GetBoolean());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));
        using (var refresh = await RefreshAsync(Factory, tokens.RefreshToken!))
            await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");

        // The browser session from before does not issue codes any more: back to the login page.
        using (var authorize = await signIn.Browser.GetAsync(signIn.AuthorizeUrl()))
        {
            Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
            Assert.StartsWith("/account/login", authorize.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using var fresh = new SignIn(Factory);
        using var login = await fresh.PostLoginAsync(fresh.AuthorizeUrl(), member.Organisation, member.Email, member.Password);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal(AccountEndpoints.SignInFailed, ErrorText(await login.Content.ReadAsStringAsync()));
    }

    // ---- 7. password guessing -----------------------------------------------------------------------------------

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_every_failure_reads_the_same()
    {
        var member = await MemberAsync();
        var bystander = await MemberAsync("bystander@a.example");

        async Task<(HttpStatusCode Status, string? Error, Uri? Location)> LoginAsync(string organisation, string email, string password)
        {
            using var signIn = new SignIn(Factory);
            using var response = await signIn.PostLoginAsync(signIn.AuthorizeUrl(), organisation, email, password);
            return (response.StatusCode, ErrorText(await response.Content.ReadAsStringAsync()), response.Headers.Location);
        }

        // Control: the right password works before the guessing (and resets any count).
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(member.Organisation, member.Email, member.Password)).Status);

        var wrong = await LoginAsync(member.Organisation, member.Email, "not the password");
        Assert.Equal((HttpStatusCode.BadRequest, AccountEndpoints.SignInFailed, (Uri?)null), wrong);
        for (var i = 2; i <= 5; i++)
            Assert.Equal(wrong, await LoginAsync(member.Organisation, member.Email, $"guess number {i}"));

        var locked = await LoginAsync(member.Organisation, member.Email, member.Password);
        var unknownEmail = await LoginAsync(member.Organisation, "nobody@a.example", member.Password);
        var unknownOrganisation = await LoginAsync("no-such-org", member.Email, member.Password);
        var otherTenant = await LoginAsync(TenantB.Slug, member.Email, member.Password);

        Assert.Equal(wrong, locked);
        Assert.Equal(wrong, unknownEmail);
        Assert.Equal(wrong, unknownOrganisation);
        Assert.Equal(wrong, otherTenant);

        // The lock is the member's alone.
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(bystander.Organisation, bystander.Email, bystander.Password)).Status);
    }

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

    // ---- 10. edited and unsigned user tokens --------------------------------------------------------------------

    [Fact]
    public async Task A_user_token_with_its_tenant_id_edited_is_refused()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var token = (await signIn.TokensAsync(member)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, token));

        var parts = ForgedTokens.Decode(token);
        Assert.Equal(TenantA.Id.ToString(), parts.Payload["tenant_id"]!.GetValue<string>());
        parts.Payload["tenant_id"] = TenantB.Id.ToString();

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, ForgedTokens.WithSignature(parts, parts.Signature)));
    }

    [Fact]
    public async Task A_user_token_with_its_role_or_scope_raised_is_refused()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var token = (await signIn.TokensAsync(member)).AccessToken;
        var parts = ForgedTokens.Decode(token);
        parts.Payload["role"] = nameof(UserRole.TenantAdmin);
        parts.Payload["scope"] = "openid crm.read crm.write crm.admin";

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, ForgedTokens.WithSignature(parts, parts.Signature), "/api/team/users"));
    }

    [Theory]
    [InlineData("none", "")]
    [InlineData("none", "original")]
    [InlineData("HS256", "hs256")]
    [InlineData("ES384", "original")]
    public async Task A_user_token_re_headed_with_another_algorithm_is_refused(string algorithm, string signature)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var parts = ForgedTokens.Decode((await signIn.TokensAsync(member)).AccessToken);
        parts.Payload["tenant_id"] = TenantB.Id.ToString();
        parts.Header["alg"] = algorithm;

        var forged = signature switch
        {
            "" => ForgedTokens.WithSignature(parts, ""),
            "original" => ForgedTokens.WithSignature(parts, parts.Signature),
            _ => ForgedTokens.SignHs256(parts, Encoding.UTF8.GetBytes("secret")),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, forged));
    }

    [Fact]
    public async Task An_id_token_is_not_accepted_as_an_access_token()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.IdToken!));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.RefreshToken!));
    }

    // ---- 11. a demoted admin ------------------------------------------------------------------------------------

    [Fact]
    public async Task A_demoted_admins_old_token_is_refused_and_their_refresh_no_longer_carries_crm_admin()
    {
        var admin = await AdminAsync();
        var demoted = await AdminAsync("second-admin@a.example");
        using var adminApi = await Factory.ClientForAsync(admin);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(demoted);
        Assert.Contains(Scopes.Admin, tokens.Scope.Split(' '));
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, tokens.AccessToken, "/api/team/users"));

        using (var change = await adminApi.PutAsJsonAsync($"/api/team/users/{demoted.Id}/role", new { role = "member" }))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
            Assert.Equal("member", (await Json(change)).GetProperty("role").GetString());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));

        using var refresh = await RefreshAsync(Factory, tokens.RefreshToken!);
        var body = await AssertTokensAsync(refresh);
        var scopes = body.GetProperty("scope").GetString()!.Split(' ');
        Assert.DoesNotContain(Scopes.Admin, scopes);
        Assert.Contains(Scopes.Read, scopes);
        var access = body.GetProperty("access_token").GetString()!;
        Assert.Equal(nameof(UserRole.Member), ForgedTokens.Decode(access).Payload["role"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, access));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusWithTokenAsync(Factory, access, "/api/team/users"));
    }

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

    // ---- more: expiry, parameter pollution, downgrades, suspended tenants ---------------------------------------

    [Fact]
    public async Task An_expired_code_gets_invalid_grant()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);
        var hash = Application.Common.Security.OpaqueHandle.Hash(code);
        await using (var db = Factory.Database.Owner())
        {
            Assert.Equal(1, await db.AuthorizationCodes.IgnoreQueryFilters().Where(c => c.CodeHash == hash)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
        }

        using var response = await signIn.RedeemAsync(code);
        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("token")]
    [InlineData("family")]
    public async Task An_expired_refresh_token_gets_invalid_grant(string expiry)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        var hash = Application.Common.Security.OpaqueHandle.Hash(tokens.RefreshToken!);
        var past = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (var db = Factory.Database.Owner())
        {
            var rows = db.RefreshTokens.IgnoreQueryFilters().Where(t => t.TokenHash == hash);
            Assert.Equal(1, expiry == "token"
                ? await rows.ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, past))
                : await rows.ExecuteUpdateAsync(u => u.SetProperty(t => t.FamilyExpiresAt, past)));
        }

        using var response = await RefreshAsync(Factory, tokens.RefreshToken!);
        if (expiry == "token")
        {
            await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
            return;
        }
        // A family's end caps the rotated token's own lifetime: the new token expires with the family.
        var body = await AssertTokensAsync(response);
        var next = body.GetProperty("refresh_token").GetString()!;
        using var after = await RefreshAsync(Factory, next);
        await AssertOAuthErrorAsync(after, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_code_of_a_user_deactivated_before_redemption_gets_invalid_grant()
    {
        var admin = await AdminAsync();
        var member = await MemberAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);

        using (var deactivate = await adminApi.PostAsync($"/api/team/users/{member.Id}/deactivate", null))
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);

        using var response = await signIn.RedeemAsync(code);
        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("redirect_uri", "https://evil.example/callback")]
    [InlineData("redirect_uri", TestTenants.WebRedirectUri)]
    [InlineData("client_id", "test-web")]
    [InlineData("code_challenge_method", "plain")]
    public async Task A_parameter_sent_twice_gets_a_400_page_and_no_redirect(string name, string secondValue)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        await CodeAsync(signIn, member);

        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl() + $"&{name}={Uri.EscapeDataString(secondValue)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("token", "unsupported_response_type")]
    [InlineData("id_token", "unsupported_response_type")]
    [InlineData("code id_token", "unsupported_response_type")]
    [InlineData(null, "unsupported_response_type")]
    public async Task The_implicit_and_hybrid_flows_are_refused_with_an_error_redirect(string? responseType, string error)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        await CodeAsync(signIn, member);

        using var response = await signIn.Browser.GetAsync(signIn.AuthorizeUrl(overrides: new Dictionary<string, string?> { ["response_type"] = responseType }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Empty(location.Fragment);
        var query = QueryOf(location);
        Assert.Equal(error, query["error"]);
        Assert.False(query.ContainsKey("code"));
        Assert.False(query.ContainsKey("access_token"));
    }

    [Fact]
    public async Task A_tenant_admin_asking_for_platform_admin_does_not_get_it()
    {
        var admin = await AdminAsync();
        using var signIn = new SignIn(Factory);

        var tokens = await signIn.TokensAsync(admin, "openid crm.read crm.admin platform.admin");

        Assert.Equal("openid crm.read crm.admin", tokens.Scope);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusWithTokenAsync(Factory, tokens.AccessToken, "/api/platform/tenants"));
    }

    [Fact]
    public async Task A_suspended_tenants_users_lose_their_tokens_refresh_session_and_sign_in()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);
        await using (var db = Factory.Database.Owner())
        {
            (await db.Tenants.SingleAsync(t => t.Id == TenantA.Id)).Suspend();
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));
        using (var refresh = await RefreshAsync(Factory, tokens.RefreshToken!))
            await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
        using (var authorize = await signIn.Browser.GetAsync(signIn.AuthorizeUrl()))
        {
            Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
            Assert.StartsWith("/account/login", authorize.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        using var fresh = new SignIn(Factory);
        using var login = await fresh.PostLoginAsync(fresh.AuthorizeUrl(), member.Organisation, member.Email, member.Password);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal(AccountEndpoints.SignInFailed, ErrorText(await login.Content.ReadAsStringAsync()));
        // Tenant B carries on.
        Assert.Equal(HttpStatusCode.OK, (await B.GetAsync("/api/customers")).StatusCode);
    }

    [Fact]
    public async Task Reactivating_a_user_does_not_bring_back_the_refresh_tokens_issued_before_the_deactivation()
    {
        var admin = await AdminAsync();
        var member = await MemberAsync();
        using var adminApi = await Factory.ClientForAsync(admin);
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);

        // Deactivated (say, a stolen laptop) and reactivated, with no refresh attempted in between.
        using (var deactivate = await adminApi.PostAsync($"/api/team/users/{member.Id}/deactivate", null))
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        using (var reactivate = await adminApi.PostAsync($"/api/team/users/{member.Id}/reactivate", null))
            Assert.Equal(HttpStatusCode.OK, reactivate.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));
        using var refresh = await RefreshAsync(Factory, tokens.RefreshToken!);
        await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");

        // The user signs in afresh and works again.
        using var again = new SignIn(Factory);
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, (await again.TokensAsync(member)).AccessToken));
    }

    [Fact]
    public async Task Two_parallel_redemptions_of_one_code_yield_one_token_response()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var code = await CodeAsync(signIn, member);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => signIn.RedeemAsync(code)));
        await AssertExactlyOneWinsAsync(responses);
    }

    [Fact]
    public async Task Two_parallel_refreshes_of_one_token_yield_one_token_response()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(Factory, tokens.RefreshToken!)));
        await AssertExactlyOneWinsAsync(responses);
    }

    /// <summary>Of parallel presentations of one grant, exactly one gets tokens and every other gets invalid_grant.</summary>
    private static async Task AssertExactlyOneWinsAsync(HttpResponseMessage[] responses)
    {
        try
        {
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
                await AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
        }
        finally
        {
            foreach (var response in responses)
                response.Dispose();
        }
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused_and_signs_no_one_in()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var authorizeUrl = signIn.AuthorizeUrl();

        // A cross-site form: the victim's browser posts the attacker's credentials (login CSRF).
        using var login = await signIn.Browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = authorizeUrl, ["organisation"] = member.Organisation, ["email"] = member.Email, ["password"] = member.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Null(login.Headers.Location);
        using var authorize = await signIn.Browser.GetAsync(authorizeUrl);
        Assert.StartsWith("/account/login", authorize.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_login_page_cannot_be_framed_or_cached()
    {
        using var signIn = new SignIn(Factory);

        using var page = await signIn.Browser.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("DENY", string.Join(",", page.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(",", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_state_carrying_parameters_cannot_inject_a_code_or_error_into_the_redirect()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        const string state = "s&code=injected&error=none#frag";

        var redirect = await signIn.AuthorizeAsync(member.Organisation, member.Email, member.Password,
            signIn.AuthorizeUrl(overrides: new Dictionary<string, string?> { ["state"] = state }));

        var query = QueryOf(redirect);
        Assert.Equal(state, query["state"]);
        Assert.NotEqual("injected", query["code"]);
        Assert.False(query.ContainsKey("error"));
        Assert.Empty(redirect.Fragment);
        using var redeemed = await signIn.RedeemAsync(query["code"]);
        await AssertTokensAsync(redeemed);
    }
}
