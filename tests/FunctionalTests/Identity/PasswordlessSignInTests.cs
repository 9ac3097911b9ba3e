using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>
/// Passwordless sign-in on the login page, for tenants that allow it: a six-digit code by email completes the same
/// authorization code flow. The code works once, for ten minutes, and not after five wrong tries; the page answers
/// the same for a known and an unknown address and for a tenant that does not allow it; an account gets at most
/// three codes per ten minutes.
/// </summary>
public sealed partial class PasswordlessSignInTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_code_by_email_completes_the_authorization_code_flow_once()
    {
        var member = await Factory.AddUserAsync(TenantA, "coder@a.example");
        await AllowAsync(true);
        using var signIn = new SignIn(Factory);
        var authorize = signIn.AuthorizeUrl();

        using (var sent = await RequestCodeAsync(signIn, authorize, member.Organisation, member.Email))
            Assert.Contains("a six-digit code is on its way", await sent.Content.ReadAsStringAsync());
        var code = CodeIn(Factory.LatestMailTo(member.Email));

        using var verified = await VerifyAsync(signIn, authorize, member.Organisation, member.Email, code);
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        using var back = await signIn.Browser.GetAsync(verified.Headers.Location!);
        var authorizationCode = SignIn.CodeOf(back.Headers.Location!);
        Assert.NotNull(authorizationCode);
        using var tokens = await signIn.RedeemAsync(authorizationCode);
        var accessToken = (await Json(tokens)).GetProperty("access_token").GetString();
        using var api = Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);
        Assert.Equal(member.Id, (await Json(await api.GetAsync("/api/me"))).GetProperty("userId").GetGuid());

        // Used once: the same code again is refused, in a new browser too.
        using var again = new SignIn(Factory);
        using var reused = await VerifyAsync(again, authorize, member.Organisation, member.Email, code);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("The code is not right", await reused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_code_sent_in_one_tenant_signs_no_one_in_under_another()
    {
        var inA = await Factory.AddUserAsync(TenantA, "twin@example.com");
        var inB = await Factory.AddUserAsync(TenantB, "twin@example.com");
        await AllowAsync(true);
        await AllowAsync(true, TenantB);
        using var signIn = new SignIn(Factory);
        var authorize = signIn.AuthorizeUrl();
        (await RequestCodeAsync(signIn, authorize, inA.Organisation, inA.Email)).Dispose();
        var code = CodeIn(Factory.LatestMailTo(inA.Email));

        using (var underB = await VerifyAsync(signIn, authorize, inB.Organisation, inB.Email, code))
            Assert.Equal(HttpStatusCode.BadRequest, underB.StatusCode);
        using var underA = await VerifyAsync(signIn, authorize, inA.Organisation, inA.Email, code);
        Assert.Equal(HttpStatusCode.Redirect, underA.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_tries_end_the_code_and_an_expired_code_is_refused()
    {
        var member = await Factory.AddUserAsync(TenantA, "guesser@a.example");
        await AllowAsync(true);
        using var signIn = new SignIn(Factory);
        var authorize = signIn.AuthorizeUrl();
        (await RequestCodeAsync(signIn, authorize, member.Organisation, member.Email)).Dispose();
        var code = CodeIn(Factory.LatestMailTo(member.Email));
        var wrong = code == "000000" ? "000001" : "000000";

        for (var i = 0; i < SignInCode.MaxAttempts; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await VerifyAsync(signIn, authorize, member.Organisation, member.Email, wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await VerifyAsync(signIn, authorize, member.Organisation, member.Email, code)).StatusCode);

        var other = await Factory.AddUserAsync(TenantA, "late@a.example");
        (await RequestCodeAsync(signIn, authorize, other.Organisation, other.Email)).Dispose();
        var lateCode = CodeIn(Factory.LatestMailTo(other.Email));
        await using (var db = Factory.Database.Owner())
            await db.Database.ExecuteSqlAsync($"UPDATE sign_in_codes SET expires_at = now() - interval '1 second' WHERE user_id = {other.Id}");
        Assert.Equal(HttpStatusCode.BadRequest, (await VerifyAsync(signIn, authorize, other.Organisation, other.Email, lateCode)).StatusCode);
    }

    [Fact]
    public async Task The_page_says_the_same_for_unknown_addresses_and_tenants_that_do_not_allow_it_and_sends_nothing()
    {
        var member = await Factory.AddUserAsync(TenantA, "private@a.example");
        using var signIn = new SignIn(Factory);
        var authorize = signIn.AuthorizeUrl();

        using var notAllowed = await RequestCodeAsync(signIn, authorize, member.Organisation, member.Email);
        await AllowAsync(true);
        using var unknown = await RequestCodeAsync(signIn, authorize, member.Organisation, "nobody@a.example");
        using var noTenant = await RequestCodeAsync(signIn, authorize, "no-such-org", member.Email);

        foreach (var answer in new[] { notAllowed, unknown, noTenant })
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(CrmTenancy.WebApi.Endpoints.Account.CodeSent), await answer.Content.ReadAsStringAsync());
        }
        Assert.Null(Factory.LatestMailTo(member.Email));
        Assert.Null(Factory.LatestMailTo("nobody@a.example"));
    }

    [Fact]
    public async Task An_account_gets_at_most_three_codes_per_ten_minutes_and_only_its_tenant_may_allow_codes()
    {
        var member = await Factory.AddUserAsync(TenantA, "busy@a.example");
        await AllowAsync(true);
        using var signIn = new SignIn(Factory);
        var authorize = signIn.AuthorizeUrl();

        for (var i = 0; i < SignInCode.MaxPerLifetime + 2; i++)
            (await RequestCodeAsync(signIn, authorize, member.Organisation, member.Email)).Dispose();

        Factory.WaitForOutbox();
        Assert.Equal(SignInCode.MaxPerLifetime, Directory.GetFiles(Factory.MailDirectory, "*.eml")
            .Count(file => File.ReadAllText(file).Contains($"\r\nTo: {member.Email}\r\n", StringComparison.OrdinalIgnoreCase)));

        // Tenant B's setting is its own; a member cannot change it.
        var (_, memberClient) = await UserAsync(TenantA, "member-setting@a.example");
        using (memberClient)
        using (var refused = await memberClient.PutAsJsonAsync("/api/tenant/settings/passwordless-sign-in", new { allowed = false }))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var (_, adminB) = await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
        using (adminB)
            Assert.False((await Json(await adminB.GetAsync("/api/tenant/settings"))).GetProperty("passwordlessSignIn").GetBoolean());
    }

    [Fact]
    public async Task The_setting_must_be_sent()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using (admin)
        using (var empty = await admin.PutAsync("/api/tenant/settings/passwordless-sign-in", RawJson("{}")))
            await AssertProblemAsync(empty, HttpStatusCode.BadRequest, field: "allowed");
    }

    private async Task AllowAsync(bool allowed, TestTenant? tenant = null)
    {
        var (_, admin) = await UserAsync(tenant ?? TenantA, $"settings-{Guid.NewGuid():N}@example.com", UserRole.TenantAdmin);
        using (admin)
        using (var response = await admin.PutAsJsonAsync("/api/tenant/settings/passwordless-sign-in", new { allowed }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(allowed, (await Json(response)).GetProperty("passwordlessSignIn").GetBoolean());
        }
    }

    private static async Task<HttpResponseMessage> RequestCodeAsync(SignIn signIn, string returnUrl, string organisation, string email) =>
        await signIn.Browser.PostAsync("/account/login/code", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await FormTokenAsync(signIn, returnUrl),
            ["returnUrl"] = returnUrl,
            ["organisation"] = organisation,
            ["email"] = email,
        }));

    private static async Task<HttpResponseMessage> VerifyAsync(SignIn signIn, string returnUrl, string organisation, string email, string code) =>
        await signIn.Browser.PostAsync("/account/login/code/verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await FormTokenAsync(signIn, returnUrl),
            ["returnUrl"] = returnUrl,
            ["organisation"] = organisation,
            ["email"] = email,
            ["code"] = code,
        }));

    private static async Task<string> FormTokenAsync(SignIn signIn, string returnUrl)
    {
        using var page = await signIn.Browser.GetAsync(QueryHelpers.AddQueryString("/account/login/code", "returnUrl", returnUrl));
        return SignIn.AntiforgeryToken(await page.Content.ReadAsStringAsync());
    }

    private static string CodeIn(string? mail) =>
        SixDigits().Match(mail ?? throw new InvalidOperationException("No sign-in code email.")).Value;

    [GeneratedRegex(@"(?<=is )\d{6}(?=\.)")]
    private static partial Regex SixDigits();
}
