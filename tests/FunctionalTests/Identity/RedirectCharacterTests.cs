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

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>Unsafe characters in the URIs the server redirects to are refused.</summary>
public sealed class RedirectCharacterTests(ApiFactory factory) : ApiTest(factory)
{
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
        var antiforgery = SignIn.AntiforgeryToken(await page.Content.ReadAsStringAsync());

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
}
