using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task<string> TokenAsync(string clientId, string secret, string? scope = null)
    {
        using var client = CreateClient();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null)
            form["scope"] = scope;
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>An HTTP client that calls the API as the given tenant's client.</summary>
    public async Task<HttpClient> ClientForAsync(TestTenant tenant, string? scope = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(tenant.ClientId, tenant.ClientSecret, scope));
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
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
        await Factory.Database.ResetAsync();
        TenantA = await Factory.AddTenantAsync("tenant-a");
        TenantB = await Factory.AddTenantAsync("tenant-b");
        await using (var db = Factory.Database.Owner())
            await TestTenants.AddWebClientAsync(db);
        A = await Factory.ClientForAsync(TenantA);
        B = await Factory.ClientForAsync(TenantB);
    }

    public ValueTask DisposeAsync()
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
}
