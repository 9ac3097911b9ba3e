using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(CrmTenancy.FunctionalTests.Infrastructure.ApiFactory))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CrmTenancy.FunctionalTests.Infrastructure;

/// <summary>
/// The real web host over a real PostgreSQL database of this test assembly. Requests go through the whole
/// pipeline (authentication with real tokens from /connect/token, routing, MediatR, EF Core, SQL).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Issuer = "http://crm.test";
    private TestDatabase? _database;

    /// <summary>Where the development email sender writes this run's messages (.eml files), a fresh temp folder.</summary>
    public string MailDirectory { get; } = Path.Combine(Path.GetTempPath(), "crm-functional-mail-" + Guid.NewGuid().ToString("N")[..12]);

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync("functional");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Crm", Database.ConnectionString);
        builder.UseSetting("Tokens:Issuer", Issuer);
        builder.UseSetting("Tokens:Audience", "crm-api");
        builder.UseSetting("Database:Migrate", "false");
        builder.UseSetting("Database:SeedDemoData", "false");
        // Folded by the tests that need it: a pass in the background could meet the reset's TRUNCATE of its tables.
        builder.UseSetting(CrmTenancy.Infrastructure.Analytics.DashboardTallyService.IntervalSetting, "0");
        builder.UseSetting(CrmTenancy.Infrastructure.Privacy.ExportRetentionService.IntervalSetting, "0");
        builder.UseSetting("Email:PickupDirectory", MailDirectory);
        // The workflow runner's passes are the tests' to run (WorkflowTests), and its webhooks call loopback.
        builder.UseSetting(CrmTenancy.Infrastructure.Automation.WorkflowRunnerService.PollSetting, "0");
        builder.UseSetting(CrmTenancy.Infrastructure.Automation.AutomationDeliverer.AllowPrivateSetting, "true");
        // Emails go out through the outbox: deliver at once rather than after the production settle time.
        builder.UseSetting("Outbox:SettleTime", "00:00:00");
        // One key ring for every host of the run: a host made by WithWebHostBuilder reads the signing keys the first stored.
        builder.UseSetting("DataProtection:KeyRingPath", Path.Combine(MailDirectory, "..", Path.GetFileName(MailDirectory) + "-keys"));
        // Every test signs in from the same (absent) address; RateLimitTests checks the limits with small ones.
        builder.UseSetting("RateLimits:SignInPerMinute", "1000000");
        builder.UseSetting("RateLimits:SignUpPerHour", "1000000");
        builder.UseSetting("RateLimits:CapturePerMinute", "1000000");
        // The operators' isolation self-test calls this host's pipeline: in memory here, as there is no socket.
        builder.ConfigureTestServices(services => services.AddSingleton<CrmTenancy.WebApi.SelfTest.ISelfTestTransport>(
            provider => new TestServerTransport((TestServer)provider.GetRequiredService<IServer>())));
        if (Environment.GetEnvironmentVariable("CRM_TEST_LOG") is { Length: > 0 } log)
            builder.ConfigureLogging(logging => logging.AddProvider(new FileLog(log)));
    }

    /// <summary>
    /// The newest message the development sender wrote to this address (the whole .eml text), or none. Emails go out
    /// through the outbox once their change has committed, so this first waits until the outbox has delivered everything.
    /// </summary>
    public string? LatestMailTo(string email)
    {
        WaitForOutbox();
        if (!Directory.Exists(MailDirectory))
            return null;
        // File names sort by time (yyyyMMddTHHmmssfff-uuidv7); the To header names the recipient.
        return Directory.GetFiles(MailDirectory, "*.eml")
            .OrderByDescending(Path.GetFileName, StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .FirstOrDefault(text => text.Contains($"\r\nTo: {email}\r\n", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Waits (10 s at most) until the outbox has no message left to deliver.</summary>
    public void WaitForOutbox()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        connection.Open();
        using var pending = new Npgsql.NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE processed_at IS NULL AND dead_at IS NULL", connection);
        while ((long)pending.ExecuteScalar()! > 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The outbox still has messages to deliver after 10 s.");
            Thread.Sleep(25);
        }
    }

    /// <summary>The invitation token of the newest invitation email to this address (the text after "Invitation token: ").</summary>
    public string InvitationTokenFor(string email)
    {
        var mail = LatestMailTo(email) ?? throw new InvalidOperationException($"No email to {email} in {MailDirectory}.");
        const string marker = "Invitation token: ";
        var start = mail.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
            throw new InvalidOperationException($"No invitation token in the email to {email}: {mail}");
        start += marker.Length;
        var end = mail.IndexOfAny(['\r', '\n'], start);
        return (end < 0 ? mail[start..] : mail[start..end]).Trim();
    }

    /// <summary>Adds a tenant with a client holding the given scopes (crm.read and crm.write by default).</summary>
    public async Task<TestTenant> AddTenantAsync(string slug, params string[] scopes)
    {
        await using var db = Database.Owner();
        return await TestTenants.AddAsync(db, slug, scopes);
    }

    /// <summary>Adds a user with a password to a tenant.</summary>
    public async Task<TestUser> AddUserAsync(TestTenant tenant, string email, UserRole role = UserRole.Member, string password = TestTenants.UserPassword)
    {
        await using var db = Database.Owner();
        return await TestTenants.AddUserAsync(db, tenant, email, role, password);
    }

    /// <summary>An API client calling as the user, with tokens from the authorization code flow.</summary>
    public Task<HttpClient> ClientForAsync(TestUser user, string scope = SignIn.DefaultScope) => SignIn.ClientForAsync(this, user, scope);

    public async Task<(string ClientId, string Secret)> AddClientAsync(Guid tenantId, string clientId, params string[] scopes)
    {
        await using var db = Database.Owner();
        return await TestTenants.AddClientAsync(db, tenantId, clientId, scopes);
    }

    /// <summary>Gets an access token from the token endpoint with the client_credentials grant.</summary>
    public Task<string> TokenAsync(string clientId, string secret, string? scope = null) => TokenAsync(this, clientId, secret, scope);

    /// <summary>
    /// The same from another host (one made by WithWebHostBuilder): a token is signed by the host that issues it, and a
    /// host that started after a reset of the database may hold another signing key than this one.
    /// </summary>
    public static async Task<string> TokenAsync(WebApplicationFactory<Program> host, string clientId, string secret, string? scope = null)
    {
        using var client = host.CreateClient();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null)
            form["scope"] = scope;
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>An HTTP client that calls the API as the given tenant's client.</summary>
    public Task<HttpClient> ClientForAsync(TestTenant tenant, string? scope = null) => ClientForAsync(this, tenant, scope);

    /// <summary>An HTTP client that calls <paramref name="host"/> as the given tenant's client, with a token of that host.</summary>
    public static async Task<HttpClient> ClientForAsync(WebApplicationFactory<Program> host, TestTenant tenant, string? scope = null)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(host, tenant.ClientId, tenant.ClientSecret, scope));
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
        if (Directory.Exists(MailDirectory))
            Directory.Delete(MailDirectory, recursive: true);
    }
}

/// <summary>Every functional test starts from an empty database and two tenants, A and B, each with a full-scope client.</summary>
public abstract class ApiTest(ApiFactory factory) : IAsyncLifetime
{
    protected ApiFactory Factory { get; } = factory;
    protected TestTenant TenantA { get; private set; } = null!;
    protected TestTenant TenantB { get; private set; } = null!;
    protected HttpClient A { get; private set; } = null!;
    protected HttpClient B { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        // The last test's events are delivered first: the dispatcher's transactions (their consumers read and write other
        // tables, such as the workflow triggers) and the reset's TRUNCATE could otherwise lock in opposite orders.
        try
        {
            Factory.WaitForOutbox();
        }
        catch (TimeoutException)
        {
            // A test that left a failing event behind: the reset removes it.
        }
        try
        {
            await Factory.Database.ResetAsync();
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DeadlockDetected)
        {
            // Background work of the host met the TRUNCATE anyway (it was rolled back): once more, now that it is done.
            await Factory.Database.ResetAsync();
        }
        // The reset emptied the signing keys under the host's key store: a fresh stored key makes the two agree, or the
        // store's periodic reload would replace the key this test's tokens were signed with halfway through the test.
        await Factory.Services.GetRequiredService<SigningKeyStore>().RotateAsync(CancellationToken.None);
        TenantA = await Factory.AddTenantAsync("tenant-a");
        TenantB = await Factory.AddTenantAsync("tenant-b");
        await using (var db = Factory.Database.Owner())
            await TestTenants.AddWebClientAsync(db);
        A = await Factory.ClientForAsync(TenantA);
        B = await Factory.ClientForAsync(TenantB);
    }

    public virtual ValueTask DisposeAsync()
    {
        A.Dispose();
        B.Dispose();
        return ValueTask.CompletedTask;
    }

    protected static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    protected static async Task<JsonElement> CreateCustomerAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/customers", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await Json(response);
    }

    protected static async Task<JsonElement> CreateContactAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/contacts", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await Json(response);
    }

    protected static HttpRequestMessage Request(HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    protected static HttpContent RawJson(string json) => new StringContent(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>A user of the tenant and an API client calling as them (tokens from the authorization code flow).</summary>
    protected async Task<(TestUser User, HttpClient Client)> UserAsync(TestTenant tenant, string email, UserRole role = UserRole.Member)
    {
        var user = await Factory.AddUserAsync(tenant, email, role);
        return (user, await Factory.ClientForAsync(user));
    }

    /// <summary>A platform operator's client: a tenantless confidential client with platform.admin, and its token.</summary>
    protected async Task<HttpClient> PlatformOperatorAsync(string clientId = "platform-operator")
    {
        var (id, secret) = await OAuthProtocol.AddPlatformClientAsync(Factory, clientId);
        return OAuthProtocol.Bearer(Factory, await Factory.TokenAsync(id, secret));
    }

    /// <summary>An HTTP client without a token.</summary>
    protected HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>
    /// Asserts a problem-details answer with this status; when given, its type ends with <paramref name="code"/> and its
    /// errors (or, without errors, its detail) name <paramref name="field"/> (or an element of it: scopes[0]). Returns the problem.
    /// </summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, System.Net.HttpStatusCode status, string? code = null, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (code is not null)
            Assert.EndsWith("/" + code, problem.GetProperty("type").GetString());
        if (field is not null)
        {
            var named = problem.TryGetProperty("errors", out var errors)
                ? errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)
                                                    || e.Name.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)
                                                    || e.Name.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase))
                : problem.GetProperty("detail").GetString()!.Contains(field, StringComparison.OrdinalIgnoreCase);
            Assert.True(named, $"the problem should name '{field}': {text}");
        }
        return problem;
    }

    /// <summary>The ids in a list answer: a page's items, or a plain array.</summary>
    protected static List<string> Ids(JsonElement list) =>
        (list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items")).EnumerateArray()
        .Select(i => i.GetProperty("id").GetString()!).ToList();
}

/// <summary>The self-test's way into an in-memory test server: its own handler, at its own base address.</summary>
public sealed class TestServerTransport(TestServer server) : CrmTenancy.WebApi.SelfTest.ISelfTestTransport
{
    public Uri BaseAddress => server.BaseAddress;

    public HttpMessageHandler CreateHandler() => server.CreateHandler();
}
