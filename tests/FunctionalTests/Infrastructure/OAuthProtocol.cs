using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.WebUtilities;

namespace CrmTenancy.FunctionalTests.Infrastructure;

/// <summary>A confidential client registered through the admin API: its row id, client id and the secret shown once.</summary>
public sealed record RegisteredClient(Guid Id, string ClientId, string Secret);

/// <summary>
/// Raw calls to the authorization server's endpoints (token, revocation, introspection, admin client API) and
/// small readers of their answers, for the attack and protocol tests. Nothing here follows redirects.
/// </summary>
public static partial class OAuthProtocol
{
    public static async Task<HttpResponseMessage> PostFormAsync(
        ApiFactory factory, string url, Dictionary<string, string> form, AuthenticationHeaderValue? authorization = null)
    {
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));

    /// <summary>The refresh_token grant, as a public client (no secret) or a confidential one (secret in the form).</summary>
    public static Task<HttpResponseMessage> RefreshAsync(
        ApiFactory factory, string refreshToken, string clientId = TestTenants.WebClientId, string? secret = null, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = refreshToken };
        if (secret is not null)
            form["client_secret"] = secret;
        if (scope is not null)
            form["scope"] = scope;
        return PostFormAsync(factory, "/connect/token", form);
    }

    /// <summary>The authorization_code grant with any combination of parameters (null leaves one out).</summary>
    public static Task<HttpResponseMessage> RedeemAsync(
        ApiFactory factory, string code, string clientId, string? secret, string? redirectUri, string? verifier)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code };
        if (secret is not null)
            form["client_secret"] = secret;
        if (redirectUri is not null)
            form["redirect_uri"] = redirectUri;
        if (verifier is not null)
            form["code_verifier"] = verifier;
        return PostFormAsync(factory, "/connect/token", form);
    }

    public static Task<HttpResponseMessage> IntrospectAsync(ApiFactory factory, string token, string clientId, string? secret) =>
        PostFormAsync(factory, "/connect/introspect", Credentials(clientId, secret, new() { ["token"] = token }));

    public static Task<HttpResponseMessage> RevokeAsync(ApiFactory factory, string token, string clientId, string? secret, string? hint = null)
    {
        var form = Credentials(clientId, secret, new() { ["token"] = token });
        if (hint is not null)
            form["token_type_hint"] = hint;
        return PostFormAsync(factory, "/connect/revocation", form);
    }

    private static Dictionary<string, string> Credentials(string clientId, string? secret, Dictionary<string, string> form)
    {
        form["client_id"] = clientId;
        if (secret is not null)
            form["client_secret"] = secret;
        return form;
    }

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts an OAuth error answer (RFC 6749 section 5.2): the status and the error code.</summary>
    public static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {error}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(error, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }

    /// <summary>Asserts a successful token response and returns its body.</summary>
    public static async Task<JsonElement> AssertTokensAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200 from the token endpoint, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Dictionary<string, string> QueryOf(Uri uri) =>
        QueryHelpers.ParseQuery(uri.IsAbsoluteUri ? uri.Query : new Uri(new Uri("http://relative.invalid"), uri).Query)
            .ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>The text of the page's error paragraph (Html.Error), decoded; null when the page shows none.</summary>
    public static string? ErrorText(string html)
    {
        var match = ErrorParagraph().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public static HttpClient Bearer(ApiFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<HttpStatusCode> StatusWithTokenAsync(ApiFactory factory, string token, string url = "/api/customers")
    {
        using var client = Bearer(factory, token);
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }

    /// <summary>Registers a confidential client through POST /api/clients as a tenant admin (the secret comes back once).</summary>
    public static async Task<RegisteredClient> RegisterClientAsync(HttpClient admin, string name, string[] scopes, string[]? redirectUris = null)
    {
        using var response = await admin.PostAsJsonAsync("/api/clients", new { name, scopes, redirectUris = redirectUris ?? [] });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Registering a client answered {(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        var client = json.GetProperty("client");
        return new RegisteredClient(client.GetProperty("id").GetGuid(), client.GetProperty("clientId").GetString()!, json.GetProperty("clientSecret").GetString()!);
    }

    /// <summary>A tenantless confidential client holding platform.admin (added on the owner role), and its secret.</summary>
    public static async Task<(string ClientId, string Secret)> AddPlatformClientAsync(ApiFactory factory, string clientId = "platform-ops")
    {
        var secret = ClientSecretHasher.GenerateSecret();
        await using var db = factory.Database.Owner();
        db.OAuthClients.Add(CrmTenancy.Infrastructure.Identity.Server.CrmApplication.CreateConfidential(
            null, clientId, "Platform operations", ClientSecretHasher.Hash(secret), [Scopes.Platform], DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        return (clientId, secret);
    }

    /// <summary>Another public client of the platform (added on the owner role), with its own redirect URIs.</summary>
    public static async Task AddPublicClientAsync(ApiFactory factory, string clientId, params string[] redirectUris)
    {
        await using var db = factory.Database.Owner();
        db.OAuthClients.Add(CrmTenancy.Infrastructure.Identity.Server.CrmApplication.CreatePublic(
            clientId, clientId, [.. Scopes.Identity, .. Scopes.Tenant], redirectUris, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }

    /// <summary>A confidential client of a tenant with redirect URIs (added on the owner role), and its secret.</summary>
    public static async Task<string> AddConfidentialClientAsync(ApiFactory factory, Guid tenantId, string clientId, string[] scopes, params string[] redirectUris)
    {
        var secret = ClientSecretHasher.GenerateSecret();
        await using var db = factory.Database.Owner();
        db.OAuthClients.Add(CrmTenancy.Infrastructure.Identity.Server.CrmApplication.CreateConfidential(
            tenantId, clientId, clientId, ClientSecretHasher.Hash(secret), scopes, DateTimeOffset.UtcNow, redirectUris));
        await db.SaveChangesAsync();
        return secret;
    }

    [GeneratedRegex("<p class=\"error\" role=\"alert\">([^<]*)</p>")]
    private static partial Regex ErrorParagraph();
}
