using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace CrmTenancy.FunctionalTests.Infrastructure;

/// <summary>The tokens of a completed authorization code flow.</summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, string? IdToken, string Scope, JsonElement Response);

/// <summary>
/// Signs a user in the way a browser and a web app do, over real HTTP: /connect/authorize, the login page with its
/// antiforgery token and cookies, back to /connect/authorize, the code at the redirect URI, then /connect/token
/// with the PKCE verifier. Each step can be stopped at, for tests of the steps themselves.
/// </summary>
/// <remarks>Takes any host built from the <see cref="ApiFactory"/> (e.g. one with an extra endpoint): a token is signed
/// by the host that issues it, so sign in through the host the token will be used on.</remarks>
public sealed partial class SignIn(WebApplicationFactory<Program> factory) : IDisposable
{
    public const string DefaultScope = "openid profile email offline_access crm.read crm.write crm.admin";

    /// <summary>The browser: keeps cookies, does not follow redirects (each one is checked).</summary>
    public HttpClient Browser { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public string Verifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(32));
    public string State { get; } = Base64Url(RandomNumberGenerator.GetBytes(16));
    public string Nonce { get; } = Base64Url(RandomNumberGenerator.GetBytes(16));

    public string Challenge => Base64Url(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(Verifier)));

    public string AuthorizeUrl(string scope = DefaultScope, string clientId = TestTenants.WebClientId, string redirectUri = TestTenants.WebRedirectUri,
        IDictionary<string, string?>? overrides = null)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = State,
            ["nonce"] = Nonce,
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            parameters[key] = value;
        return QueryHelpers.AddQueryString("/connect/authorize", parameters.Where(p => p.Value is not null)!);
    }

    /// <summary>Posts the login form; returns the response (302 back to the authorize request on success).</summary>
    public async Task<HttpResponseMessage> PostLoginAsync(string returnUrl, string organisation, string email, string password)
    {
        using var page = await Browser.GetAsync(QueryHelpers.AddQueryString("/account/login", "returnUrl", returnUrl));
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken(html);
        return await Browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = returnUrl,
            ["organisation"] = organisation,
            ["email"] = email,
            ["password"] = password,
        }));
    }

    /// <summary>Authorize, sign in, authorize again: the redirect to the client (with a code, or an error).</summary>
    public async Task<Uri> AuthorizeAsync(string organisation, string email, string password, string? authorizeUrl = null)
    {
        var url = authorizeUrl ?? AuthorizeUrl();
        using var first = await Browser.GetAsync(url);
        if (first.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"authorize answered {(int)first.StatusCode}: {await first.Content.ReadAsStringAsync()}");
        var location = first.Headers.Location!;
        if (!location.OriginalString.StartsWith("/account/login", StringComparison.Ordinal))
            return location;
        using var login = await PostLoginAsync(url, organisation, email, password);
        if (login.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"login answered {(int)login.StatusCode}: {await login.Content.ReadAsStringAsync()}");
        using var second = await Browser.GetAsync(login.Headers.Location!);
        if (second.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"authorize after login answered {(int)second.StatusCode}: {await second.Content.ReadAsStringAsync()}");
        return second.Headers.Location!;
    }

    public static string? CodeOf(Uri redirect) => QueryHelpers.ParseQuery(redirect.Query).TryGetValue("code", out var code) ? code.ToString() : null;

    /// <summary>Redeems a code at the token endpoint as a public client.</summary>
    public Task<HttpResponseMessage> RedeemAsync(string code, string? verifier = null, string clientId = TestTenants.WebClientId,
        string redirectUri = TestTenants.WebRedirectUri) =>
        Browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier ?? Verifier,
        }));

    /// <summary>The whole flow for a user: tokens, or an exception naming the step that failed.</summary>
    public async Task<TokenSet> TokensAsync(TestUser user, string scope = DefaultScope)
    {
        var redirect = await AuthorizeAsync(user.Organisation, user.Email, user.Password, AuthorizeUrl(scope));
        var code = CodeOf(redirect) ?? throw new InvalidOperationException($"No code in {redirect}");
        using var response = await RedeemAsync(code);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"token answered {(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement.Clone();
        return new TokenSet(json.GetProperty("access_token").GetString()!,
            json.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            json.TryGetProperty("id_token", out var id) ? id.GetString() : null,
            json.GetProperty("scope").GetString()!, json);
    }

    /// <summary>An API client calling as the user.</summary>
    public static async Task<HttpClient> ClientForAsync(WebApplicationFactory<Program> factory, TestUser user, string scope = DefaultScope)
    {
        using var signIn = new SignIn(factory);
        var tokens = await signIn.TokensAsync(user, scope);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    public static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public void Dispose() => Browser.Dispose();

    /// <summary>The antiforgery token of a form page (the hidden field), decoded.</summary>
    public static string AntiforgeryToken(string html) => WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
