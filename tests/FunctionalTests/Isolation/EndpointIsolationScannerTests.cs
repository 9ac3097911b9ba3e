using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.WebApi.SelfTest;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrmTenancy.FunctionalTests.Isolation;

/// <summary>
/// Tenant isolation of every endpoint the OpenAPI document describes, found by the <see cref="IsolationScanner"/>
/// rather than listed by hand: a new endpoint is scanned as soon as it is mapped. A second test proves the scanner
/// is not vacuous: against a host with one endpoint that forgets the tenant, it reports that endpoint. It calls as each
/// tenant's TenantAdmin user (signed in through the login page), the caller who may use every tenant endpoint:
/// customers and contacts, the team, the integration clients and the tenant's settings.
/// </summary>
public sealed class EndpointIsolationScannerTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Every_documented_tenant_endpoint_keeps_tenant_As_rows_from_tenant_B()
    {
        var (adminA, a) = await AdminAsync(Factory, TenantA);
        var (adminB, b) = await AdminAsync(Factory, TenantB);
        using var disposeA = a;
        using var disposeB = b;
        var scanner = new IsolationScanner(a, b, [TenantA.Id.ToString(), adminA.Email, TenantA.ClientId], LeadCapturedAsync);
        var report = await scanner.ScanAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(report.Describe() + string.Join(Environment.NewLine, report.ByIdOperations.Concat(report.ListOperations)));

        Assert.True(report.Violations.Count == 0, report.Describe());
        Assert.Contains("customers", report.SeededA.Keys);
        Assert.Contains("contacts", report.SeededA.Keys);
        Assert.Equal(adminA.Id.ToString(), report.SeededA["users"]);
        Assert.Equal(adminB.Id.ToString(), report.SeededB["users"]);
        // At least these (a new module's resources join them without an edit here).
        Assert.Subset(report.ComparedResources.Keys.ToHashSet(),
            new HashSet<string> { "/api/tenant/settings", "clients", "contacts", "customers", "invitations", "users" });
        Assert.True(report.ByIdOperations.Count >= 20, report.Describe());
        Assert.True(report.ListOperations.Count >= 6, report.Describe());
        Assert.True(report.ForeignCreates.Count >= 1, report.Describe());
        Assert.True(report.CrossLinkOperations.Count >= 2, report.Describe());
        Assert.Contains("GET /api/platform-access", report.ListOperations);
        Assert.Contains("DELETE /api/customers/{id}/tags/{tag}", report.ByIdOperations);
        // A resource under another, addressed by an id of its own (a campaign's targets), is seeded and scanned too.
        Assert.Contains(report.ByIdOperations, o => o.Count(c => c == '{') >= 2 && o.EndsWith("Id}", StringComparison.Ordinal));
        Assert.Contains("PUT /api/customers/{id}/assignee", report.CrossLinkOperations);
        foreach (var operation in new[]
                 {
                     "GET /api/team/users/{id}", "PUT /api/team/users/{id}/role", "POST /api/team/users/{id}/deactivate",
                     "POST /api/team/users/{id}/reactivate", "DELETE /api/team/invitations/{id}",
                     "GET /api/clients/{id}", "DELETE /api/clients/{id}", "POST /api/clients/{id}/secret",
                 })
            Assert.Contains(operation, report.ByIdOperations);
        foreach (var operation in new[] { "GET /api/team/users", "GET /api/team/invitations", "GET /api/clients", "GET /api/tenant/settings" })
            Assert.Contains(operation, report.ListOperations);
        Assert.Contains("PUT /api/tenant/settings/record-visibility", report.SingletonWrites);
        Assert.DoesNotContain(scanner.Operations, o => o.Path.StartsWith("/api/platform/", StringComparison.Ordinal));
        Assert.DoesNotContain(scanner.Operations, o => o.Path is "/api/me" or "/api/signup" or "/api/invitations/accept");

        // B's singleton write was real, and A's settings stayed as they were (compared above).
        Assert.Equal("ownerOnly", (await Json(await b.GetAsync("/api/tenant/settings"))).GetProperty("recordVisibility").GetString());
        Assert.Equal("shared", (await Json(await a.GetAsync("/api/tenant/settings"))).GetProperty("recordVisibility").GetString());
    }

    /// <summary>The rows background work makes, seeded as the operators' self-test seeds them, the outbox awaited the tests' way.</summary>
    private Task LeadCapturedAsync(HttpClient client) =>
        IsolationSelfTest.SeedBackgroundRowsAsync(client, () =>
        {
            Factory.WaitForOutbox();
            return Task.CompletedTask;
        });

    [Fact]
    public async Task The_scanner_reports_an_endpoint_that_forgets_the_tenant()
    {
        await using var leaky = LeakyApi.Create(Factory);
        var (_, a) = await AdminAsync(leaky, TenantA);
        var (_, b) = await AdminAsync(leaky, TenantB);
        using var disposeA = a;
        using var disposeB = b;

        var scanner = new IsolationScanner(a, b, [TenantA.Id.ToString()], LeadCapturedAsync);
        var report = await scanner.ScanAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(report.Describe());

        Assert.Contains(scanner.Operations, o => o is { Method: "GET", Path: LeakyEndpointStartupFilter.Route });
        Assert.Contains($"GET {LeakyEndpointStartupFilter.Route}", report.ByIdOperations);
        var leak = Assert.Single(report.Violations, v => v is { Path: LeakyEndpointStartupFilter.Route, Check: "A's id as B" });
        Assert.Equal("404", leak.Expected);
        Assert.StartsWith("200", leak.Actual);
        Assert.Contains(report.SeededA["customers"], leak.Actual);
        // Only the leaky endpoint is reported: the rest of the same host is isolated.
        Assert.All(report.Violations, v => Assert.Equal(LeakyEndpointStartupFilter.Route, v.Path));
        Assert.Contains(LeakyEndpointStartupFilter.Route, report.Describe());
    }

    [Fact]
    public async Task The_leaky_endpoint_really_leaks_and_is_in_the_document()
    {
        await using var leaky = LeakyApi.Create(Factory);
        using var b = await ClientAsync(leaky, TenantB);
        var customer = (await CreateCustomerAsync(A, new { name = "Leaked Customer" })).GetProperty("id").GetString();

        using var response = await b.GetAsync($"/api/leaky-customers/{customer}");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Leaked Customer", await response.Content.ReadAsStringAsync());

        using var anonymous = leaky.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/leaky-customers/{customer}")).StatusCode);

        var document = JsonDocument.Parse(await b.GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.True(document.GetProperty("paths").TryGetProperty(LeakyEndpointStartupFilter.Route, out _));
        // The product's own host does not have it.
        using var real = await B.GetAsync($"/api/leaky-customers/{customer}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, real.StatusCode);
    }

    [Theory]
    [InlineData("customerId", "customers")]
    [InlineData("companyId", "companies")]
    [InlineData("leadSourceId", "lead-sources")]
    [InlineData("addressId", "addresses")]
    [InlineData("assigneeId", null)]
    [InlineData("id", null)]
    public void Id_properties_name_their_resource(string property, string? resource) =>
        Assert.Equal(resource, ResourceNames.ResourceForIdName(property, ["customers", "companies", "lead-sources", "addresses", "contacts"]));

    [Theory]
    [InlineData("assigneeId", "users")]
    [InlineData("ownerId", "users")]
    [InlineData("userId", "users")]
    [InlineData("clientId", "clients")]
    [InlineData("invitationId", "invitations")]
    public void User_references_name_the_users(string property, string resource) =>
        Assert.Equal(resource, ResourceNames.ResourceForIdName(property, ["customers", "contacts", "users", "clients", "invitations"]));

    /// <summary>What the scanner covers is read from the document's security requirements, not from a list of paths.</summary>
    [Fact]
    public async Task Only_operations_that_require_a_tenant_scope_are_scanned()
    {
        using var anonymous = Factory.CreateClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var paths = document.RootElement.GetProperty("paths");
        bool Scanned(string method, string path) => OpenApiReader.IsTenantData(paths.GetProperty(path).GetProperty(method));

        Assert.True(Scanned("get", "/api/customers"));
        Assert.True(Scanned("post", "/api/customers"));
        Assert.True(Scanned("get", "/api/team/users/{id}"));
        Assert.True(Scanned("get", "/api/team/invitations"));
        Assert.True(Scanned("put", "/api/tenant/settings/record-visibility"));
        Assert.True(Scanned("get", "/api/tenant/settings"));
        Assert.False(Scanned("get", "/api/platform/tenants"));
        Assert.False(Scanned("get", "/api/me"));
        Assert.False(Scanned("post", "/api/signup"));
        Assert.False(Scanned("post", "/api/invitations/accept"));
        Assert.False(Scanned("get", "/.well-known/openid-configuration"));
        Assert.False(Scanned("get", "/.well-known/jwks.json"));
    }

    /// <summary>
    /// A TenantAdmin user of the tenant and a client calling as them on this host (signed in through the same host:
    /// each host signs its own tokens).
    /// </summary>
    private async Task<(TestUser User, HttpClient Client)> AdminAsync(WebApplicationFactory<Program> host, TestTenant tenant)
    {
        var admin = await Factory.AddUserAsync(tenant, $"admin@{tenant.Slug}.example", UserRole.TenantAdmin);
        return (admin, await SignIn.ClientForAsync(host, admin));
    }

    private static async Task<HttpClient> ClientAsync(WebApplicationFactory<Program> host, TestTenant tenant)
    {
        var client = host.CreateClient();
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = tenant.ClientId, ["client_secret"] = tenant.ClientSecret,
        }));
        response.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
