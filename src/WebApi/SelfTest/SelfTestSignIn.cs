using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.AspNetCore.WebUtilities;

namespace CrmTenancy.WebApi.SelfTest;

/// <summary>
/// Signs a throw-away tenant's administrator in the way the web app does, through this instance's own HTTP pipeline:
/// /connect/authorize, the login page with its antiforgery token and cookies, /connect/authorize again, and the code
/// at the token endpoint with the PKCE verifier and the tenant's client secret. The answer is an API client carrying
/// the administrator's access token, so the scan calls as a real user with a real token.
/// </summary>
public static partial class SelfTestSignIn
{
    private static readonly string Scope = string.Join(' ', [.. Scopes.Identity, Scopes.Read, Scopes.Write, Scopes.Admin]);

    public static async Task<HttpClient> ClientAsync(ISelfTestTransport transport, ThrowawayTenant tenant, CancellationToken cancellationToken)
    {
        using var browser = new HttpClient(new CookieJarHandler(transport.CreateHandler())) { BaseAddress = transport.BaseAddress };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = tenant.ClientId,
            ["redirect_uri"] = ThrowawayTenant.RedirectUri,
            ["scope"] = Scope,
            ["state"] = state,
            ["nonce"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["code_challenge"] = Base64Url(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        });

        var login = await RedirectAsync(browser, authorize, "authorize", cancellationToken);
        using (var page = await browser.GetAsync(login, cancellationToken))
        {
            var html = await page.Content.ReadAsStringAsync(cancellationToken);
            var antiforgery = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
            using var posted = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = antiforgery,
                ["returnUrl"] = authorize,
                ["organisation"] = tenant.Slug,
                ["email"] = tenant.AdminEmail,
                ["password"] = tenant.Password,
            }), cancellationToken);
            if (posted.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"The login page answered {(int)posted.StatusCode} for {tenant.AdminEmail}.");
        }
        var redirect = await RedirectAsync(browser, authorize, "authorize after login", cancellationToken);
        var query = QueryHelpers.ParseQuery(new Uri(redirect).Query);
        if (!query.TryGetValue("code", out var code) || query["state"] != state)
            throw new InvalidOperationException($"The authorization answered no code: {redirect}");

        using var tokenResponse = await browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = tenant.ClientId,
            ["client_secret"] = tenant.ClientSecret,
            ["code"] = code.ToString(),
            ["redirect_uri"] = ThrowawayTenant.RedirectUri,
            ["code_verifier"] = verifier,
        }), cancellationToken);
        var body = await tokenResponse.Content.ReadAsStringAsync(cancellationToken);
        if (!tokenResponse.IsSuccessStatusCode)
            throw new InvalidOperationException($"The token endpoint answered {(int)tokenResponse.StatusCode}: {body}");
        var accessToken = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString();

        var client = new HttpClient(transport.CreateHandler()) { BaseAddress = transport.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private static async Task<string> RedirectAsync(HttpClient browser, string url, string step, CancellationToken cancellationToken)
    {
        using var response = await browser.GetAsync(url, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { } location)
            throw new InvalidOperationException($"{step} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return location.OriginalString;
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
