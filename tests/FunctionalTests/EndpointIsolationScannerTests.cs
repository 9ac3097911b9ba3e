using System.Net.Http.Headers;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrmTenancy.FunctionalTests;

/// <summary>
/// Tenant isolation of every endpoint the OpenAPI document describes, found by the <see cref="IsolationScanner"/>
/// rather than listed by hand: a new endpoint is scanned as soon as it is mapped. A second test proves the scanner
/// is not vacuous: against a host with one endpoint that forgets the tenant, it reports that endpoint.
/// </summary>
public sealed class EndpointIsolationScannerTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Every_documented_tenant_endpoint_keeps_tenant_As_rows_from_tenant_B()
    {
        var scanner = new IsolationScanner(A, B, [TenantA.Id.ToString()]);
        var report = await scanner.ScanAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(report.Describe() + string.Join(Environment.NewLine, report.ByIdOperations.Concat(report.ListOperations)));

        Assert.True(report.Violations.Count == 0, report.Describe());
        Assert.Contains("customers", report.SeededA.Keys);
        Assert.Contains("contacts", report.SeededA.Keys);
        Assert.Equal(["contacts", "customers"], report.ComparedResources.Keys.Order());
        Assert.True(report.ByIdOperations.Count >= 10, report.Describe());
        Assert.True(report.ListOperations.Count >= 3, report.Describe());
        Assert.True(report.ForeignCreates.Count >= 1, report.Describe());
        Assert.True(report.CrossLinkOperations.Count >= 1, report.Describe());
        Assert.Contains("GET /api/platform-access", report.ListOperations);
        Assert.Contains("DELETE /api/customers/{id}/tags/{tag}", report.ByIdOperations);
        Assert.DoesNotContain(scanner.Operations, o => o.Path.StartsWith("/api/platform/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_scanner_reports_an_endpoint_that_forgets_the_tenant()
    {
        await using var leaky = LeakyApi.Create(Factory);
        using var a = await ClientAsync(leaky, TenantA);
        using var b = await ClientAsync(leaky, TenantB);

        var scanner = new IsolationScanner(a, b, [TenantA.Id.ToString()]);
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
        Assert.Equal(resource, IsolationScanner.ResourceForIdName(property, ["customers", "companies", "lead-sources", "addresses", "contacts"]));

    [Theory]
    [InlineData("/api/platform", true)]
    [InlineData("/api/platform/tenants", true)]
    [InlineData("/api/platform-access", false)]
    [InlineData("/connect/token", true)]
    [InlineData("/.well-known/jwks.json", true)]
    [InlineData("/health/ready", true)]
    [InlineData("/openapi/v1.json", true)]
    [InlineData("/api/customers", false)]
    public void Only_non_tenant_paths_are_excluded(string path, bool excluded) =>
        Assert.Equal(excluded, IsolationScanner.IsExcluded(path));

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
