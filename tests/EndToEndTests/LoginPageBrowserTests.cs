using System.Net;
using System.Text.Json;
using CrmTenancy.EndToEndTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace CrmTenancy.EndToEndTests;

/// <summary>
/// A real browser signs in on the server's login page: authorization code with PKCE for the public client
/// crm-web, from the authorization request to the tokens. The client's redirect_uri (http://localhost:5173)
/// has nothing listening: the browser's request to it is intercepted and answered with a stub page.
/// </summary>
public sealed class LoginPageBrowserTests(E2EServer server) : IAsyncLifetime
{
    private const string ClientId = "crm-web";
    private const string RedirectUri = "http://localhost:5173/callback";
    private const string Scope = "openid profile email crm.read crm.write offline_access";
    private const string Organisation = "acme";
    private const string Email = "admin@acme.example";
    private const string Password = "acme-admin-demo-pass";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _exchanges = [];

    public async ValueTask InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        _context = await _browser.NewContextAsync();
        _context.SetDefaultTimeout(30_000);
        // Nothing listens on the client's redirect_uri: answer it in the browser and keep the URL it was called with.
        await _context.RouteAsync(url => url.StartsWith("http://localhost:5173/", StringComparison.Ordinal), route =>
            route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200,
                ContentType = "text/html; charset=utf-8",
                Body = "<!doctype html><html><head><title>crm-web callback</title></head><body><h1>callback</h1></body></html>",
            }));
        // Every response the browser got (redirects included), for the failure messages and the test output.
        _context.Response += (_, response) =>
            Log($"{response.Request.Method} {response.Url} -> {response.Status}"
                + (response.Headers.TryGetValue("location", out var location) ? " Location: " + location : ""));
        _context.RequestFailed += (_, request) => Log($"{request.Method} {request.Url} failed: {request.Failure}");
        _page = await _context.NewPageAsync();
        // What the browser itself reports (a Content-Security-Policy violation, say).
        _page.Console += (_, message) => Log($"console {message.Type}: {message.Text}");
    }

    private void Log(string line)
    {
        lock (_exchanges)
            _exchanges.Add(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }

    [Fact]
    public async Task The_user_signs_in_on_the_login_page_and_the_client_gets_tokens()
    {
        var pkce = Pkce.Create();
        var state = Pkce.Random();
        var nonce = Pkce.Random();

        await _page.GotoAsync(AuthorizeUrl(pkce, state, nonce));

        // The server sent the browser to its own login page.
        await AssertOnLoginPageAsync();
        Assert.False(string.IsNullOrWhiteSpace(await _page.TitleAsync()), "The login page has no <title>.");
        await Assertions.Expect(_page.GetByRole(AriaRole.Heading).First).ToBeVisibleAsync();
        await ScreenshotAsync("login-page.png");

        await _page.Locator("[name=organisation]").FillAsync(Organisation);
        await _page.Locator("[name=email]").FillAsync(Email);
        await _page.Locator("[name=password]").FillAsync(Password);
        await _page.Locator("button[type=submit]").ClickAsync();
        try
        {
            await _page.WaitForURLAsync(url => url.StartsWith(RedirectUri, StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"After the login the browser did not reach {RedirectUri}; it shows {_page.Url}.{await PageAndExchangesAsync()}");
        }

        // Back at the client with a code, the state it sent, and the issuer (RFC 9207).
        var callback = new Uri(_page.Url);
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal(RedirectUri, callback.GetLeftPart(UriPartial.Path));
        Assert.False(query.ContainsKey("error"), "The authorization response is an error: " + callback.Query);
        Assert.True(query.TryGetValue("code", out var code) && !string.IsNullOrEmpty(code), "No code in " + callback.Query);
        Assert.Equal(state, (string?)query["state"]);
        Assert.Equal(server.Issuer, (string?)query["iss"]);

        // The client exchanges the code with its verifier.
        using var http = server.CreateSocketClient();
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ClientId,
            ["code"] = code!,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = pkce.Verifier,
        }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /connect/token answered {(int)response.StatusCode}: {text}");
        Assert.True(response.Headers.CacheControl?.NoStore == true, "The token response lacks Cache-Control: no-store.");
        using var tokens = JsonDocument.Parse(text);
        foreach (var name in new[] { "access_token", "refresh_token", "id_token" })
            Assert.True(tokens.RootElement.TryGetProperty(name, out var value) && !string.IsNullOrEmpty(value.GetString()), $"No {name} in {text}");

        // The ID token is for this client, from this issuer, and carries the nonce of this request.
        var idToken = JwtPayload(tokens.RootElement.GetProperty("id_token").GetString()!);
        Assert.Equal(server.Issuer, idToken.GetProperty("iss").GetString());
        Assert.Equal(nonce, idToken.GetProperty("nonce").GetString());
        var audience = idToken.GetProperty("aud");
        Assert.True(audience.ValueKind == JsonValueKind.String
            ? audience.GetString() == ClientId
            : audience.EnumerateArray().Any(a => a.GetString() == ClientId), "The id_token's aud is " + audience);
    }

    [Fact]
    public async Task A_wrong_password_shows_a_generic_error_on_the_login_page()
    {
        await _page.GotoAsync(AuthorizeUrl(Pkce.Create(), Pkce.Random(), Pkce.Random()));
        await AssertOnLoginPageAsync();

        await _page.Locator("[name=organisation]").FillAsync(Organisation);
        await _page.Locator("[name=email]").FillAsync(Email);
        await _page.Locator("[name=password]").FillAsync("not-the-password");
        await _page.Locator("button[type=submit]").ClickAsync();

        // Wait for the answer page's error element itself: a wait for the load event can start after the new
        // document fired it and then waits for one that never comes.
        var error = _page.Locator(".error, [role=alert]").First;
        try
        {
            await error.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No visible .error or [role=alert] element after a wrong password.{await PageAndExchangesAsync()}");
        }
        Assert.False(_page.Url.StartsWith(RedirectUri, StringComparison.Ordinal), "A wrong password reached the client: " + _page.Url);
        await ScreenshotAsync("login-page-error.png");
        Assert.False(string.IsNullOrWhiteSpace(await error.InnerTextAsync()), "The error element is empty.");

        // Generic: the page does not say which of organisation, email or password was wrong.
        var body = await _page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("not found", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("unknown", body, StringComparison.OrdinalIgnoreCase);

        // The form is ready for another try, with its antiforgery token.
        var antiforgery = _page.Locator("input[name=__RequestVerificationToken]");
        Assert.True(await antiforgery.CountAsync() >= 1, "The login form has no __RequestVerificationToken input.");
        Assert.False(string.IsNullOrEmpty(await antiforgery.First.GetAttributeAsync("value")), "The antiforgery token is empty.");
        Assert.Equal("hidden", await antiforgery.First.GetAttributeAsync("type"));
    }

    private async Task AssertOnLoginPageAsync() =>
        Assert.True(_page.Url.StartsWith(server.BaseUrl + "/account/login", StringComparison.OrdinalIgnoreCase),
            $"The authorization request did not lead to the login page ({server.BaseUrl}/account/login); the browser shows {_page.Url}.{await PageAndExchangesAsync()}");

    /// <summary>The HTTP exchanges so far and the start of the page the browser shows, for a failure message.</summary>
    private async Task<string> PageAndExchangesAsync()
    {
        string[] exchanges;
        lock (_exchanges)
            exchanges = [.. _exchanges];
        var text = await _page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
        return Environment.NewLine + "HTTP exchanges:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", exchanges)
               + Environment.NewLine + "Page text: " + (text.Length > 1500 ? text[..1500] + "..." : text);
    }

    private string AuthorizeUrl(Pkce pkce, string state, string nonce) =>
        QueryHelpers.AddQueryString(server.BaseUrl + "/connect/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["scope"] = Scope,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        });

    /// <summary>Saves a screenshot next to the test assembly (screenshots/) and attaches it to the test result.</summary>
    private async Task ScreenshotAsync(string fileName)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        var png = await _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0, "The screenshot is empty.");
        TestContext.Current.AddAttachment(fileName, png, "image/png");
    }

    private static JsonElement JwtPayload(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        return payload.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
