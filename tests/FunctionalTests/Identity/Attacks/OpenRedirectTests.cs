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

/// <summary>Open redirects: the server sends a browser only to registered redirect URIs and local return URLs.</summary>
public sealed class OpenRedirectTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
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
}
