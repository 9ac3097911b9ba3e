using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Identity;

namespace CrmTenancy.FunctionalTests.Platform;

/// <summary>
/// The platform operators' API: only a tenantless platform.admin token reads across tenants, every read is
/// written to the audit trail of each tenant it touched, and each tenant's admin sees only its own trail.
/// </summary>
public sealed class PlatformTests(ApiFactory factory) : ApiTest(factory)
{
    private const string PlatformClientId = "platform-test";
    private const string Actor = "client:" + PlatformClientId;

    private string _platformToken = "";
    private readonly List<string> _customersA = [];
    private readonly List<string> _customersB = [];
    private string _contactA = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var secret = ClientSecretHasher.GenerateSecret();
        await using (var db = Factory.Database.Owner())
        {
            db.OAuthClients.Add(CrmTenancy.Infrastructure.Identity.Server.CrmApplication.CreateConfidential(
                null, PlatformClientId, "Platform test operator", ClientSecretHasher.Hash(secret), ["platform.admin"], DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }
        _platformToken = await Factory.TokenAsync(PlatformClientId, secret);

        _customersA.Add(Id(await CreateCustomerAsync(A, new { name = "Alpha One", email = "one@a.example" })));
        _customersA.Add(Id(await CreateCustomerAsync(A, new { name = "Alpha Two" })));
        _contactA = Id(await CreateContactAsync(A, new { firstName = "Ann", lastName = "Alpha", customerId = _customersA[0] }));
        await CreateContactAsync(A, new { firstName = "Bob", lastName = "Alpha" });
        await CreateContactAsync(A, new { firstName = "Cid", lastName = "Alpha" });
        _customersB.Add(Id(await CreateCustomerAsync(B, new { name = "Bravo One", email = "one@b.example" })));
    }

    [Fact]
    public async Task An_operator_reads_one_tenants_automation_read_only_and_the_tenant_sees_the_access_record()
    {
        var (_, adminA) = await UserAsync(TenantA, "automation@a.example", Domain.Users.UserRole.TenantAdmin);
        using var disposeAdmin = adminA;
        using var template = await adminA.PostAsync("/api/email-templates", RawJson("""{"name":"Welcome A","subject":"Hi","htmlBody":"<p>Hi</p>","textBody":"Hi"}"""));
        using (var workflow = await adminA.PostAsync("/api/workflows", RawJson("""{"name":"Flow A","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"t","kind":"addTag","tag":"new"}]}""")))
            Assert.Equal(HttpStatusCode.Created, workflow.StatusCode);
        using (var other = await B.PostAsync("/api/email-templates", RawJson("""{"name":"Welcome B","subject":"Hi","htmlBody":"<p>Hi</p>","textBody":"Hi"}""")))
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);

        using var platform = Bearer(_platformToken);
        var automation = await Json(await platform.GetAsync($"/api/platform/tenants/{TenantA.Id}/automation"));
        Assert.Equal(["Flow A"], automation.GetProperty("workflows").EnumerateArray().Select(w => Text(w, "name")));
        Assert.False(automation.GetProperty("workflows")[0].TryGetProperty("webhookSecret", out _));
        Assert.Equal(["Welcome A"], automation.GetProperty("templates").EnumerateArray().Select(t => Text(t, "name")));
        using (var unknown = await platform.GetAsync($"/api/platform/tenants/{Guid.NewGuid()}/automation"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var tenantCaller = await A.GetAsync($"/api/platform/tenants/{TenantA.Id}/automation"))
            Assert.Equal(HttpStatusCode.Forbidden, tenantCaller.StatusCode);

        var trail = await Json(await adminA.GetAsync("/api/platform-access"));
        Assert.Contains(trail.GetProperty("items").EnumerateArray(), r => Text(r, "action") == "automation.read");
    }

    [Fact]
    public async Task Tenants_lists_every_tenant_with_its_usage()
    {
        using var platform = Bearer(_platformToken);
        using var response = await platform.GetAsync("/api/platform/tenants");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tenants = (await Json(response)).EnumerateArray().ToList();

        Assert.Equal(2, tenants.Count);
        var a = tenants.Single(t => t.GetProperty("id").GetGuid() == TenantA.Id);
        var b = tenants.Single(t => t.GetProperty("id").GetGuid() == TenantB.Id);
        Assert.Equal(("tenant-a", "Tenant tenant-a", "active"), (Text(a, "slug"), Text(a, "name"), Text(a, "status")));
        Assert.Equal((2, 3, 1), (a.GetProperty("customerCount").GetInt32(), a.GetProperty("contactCount").GetInt32(), a.GetProperty("clientCount").GetInt32()));
        Assert.Equal("tenant-b", Text(b, "slug"));
        Assert.Equal((1, 0, 1), (b.GetProperty("customerCount").GetInt32(), b.GetProperty("contactCount").GetInt32(), b.GetProperty("clientCount").GetInt32()));
    }

    [Fact]
    public async Task Customers_lists_every_tenants_customers_with_tenant_and_ownership()
    {
        using var platform = Bearer(_platformToken);
        using var response = await platform.GetAsync("/api/platform/customers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Json(response);

        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(_customersA.Concat(_customersB).Order(), items.Select(Id).Order());
        // Ordered by tenant name, then customer name.
        Assert.Equal(["Alpha One", "Alpha Two", "Bravo One"], items.Select(i => Text(i, "name")));

        var one = items.Single(i => Id(i) == _customersA[0]);
        Assert.Equal(TenantA.Id, one.GetProperty("tenantId").GetGuid());
        Assert.Equal("Tenant tenant-a", Text(one, "tenantName"));
        Assert.Equal("tenant-a", Text(one, "tenantSlug"));
        Assert.Equal("one@a.example", Text(one, "email"));
        Assert.Equal("active", Text(one, "status"));
        Assert.Equal("client:tenant-a-client", Text(one, "createdBy"));
        // A client, not a user, created it: there is no owner, and the field is present as null.
        Assert.Equal(JsonValueKind.Null, one.GetProperty("ownerId").ValueKind);
        Assert.Equal(JsonValueKind.Null, one.GetProperty("assigneeId").ValueKind);

        var bravo = items.Single(i => Id(i) == _customersB[0]);
        Assert.Equal(("tenant-b", "client:tenant-b-client"), (Text(bravo, "tenantSlug"), Text(bravo, "createdBy")));
    }

    [Fact]
    public async Task Customers_search_and_paging_cross_tenants()
    {
        using var platform = Bearer(_platformToken);
        var search = await Json(await platform.GetAsync("/api/platform/customers?search=one"));
        Assert.Equal(2, search.GetProperty("totalCount").GetInt32());
        Assert.Equal(["Alpha One", "Bravo One"], search.GetProperty("items").EnumerateArray().Select(i => Text(i, "name")));

        var second = await Json(await platform.GetAsync("/api/platform/customers?page=2&pageSize=2"));
        Assert.Equal(3, second.GetProperty("totalCount").GetInt32());
        Assert.Equal(["Bravo One"], second.GetProperty("items").EnumerateArray().Select(i => Text(i, "name")));
    }

    [Fact]
    public async Task A_tenants_customers_lists_only_that_tenants()
    {
        using var platform = Bearer(_platformToken);
        using var response = await platform.GetAsync($"/api/platform/tenants/{TenantA.Id}/customers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Json(response);

        Assert.Equal(2, page.GetProperty("totalCount").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(_customersA.Order(), items.Select(Id).Order());
        Assert.All(items, i => Assert.Equal(TenantA.Id, i.GetProperty("tenantId").GetGuid()));
        Assert.DoesNotContain(_customersB[0], page.GetRawText());

        var b = await Json(await platform.GetAsync($"/api/platform/tenants/{TenantB.Id}/customers?search=alpha"));
        Assert.Equal(0, b.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task An_unknown_tenant_is_404_and_audits_nothing()
    {
        using var platform = Bearer(_platformToken);
        using var response = await platform.GetAsync($"/api/platform/tenants/{Guid.CreateVersion7()}/customers");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await Json(response);
        Assert.EndsWith("not-found", Text(problem, "type"));
        Assert.Equal("The tenant was not found.", Text(problem, "detail"));

        Assert.Equal(0, (await AccessAsync(A)).GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await AccessAsync(B)).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Every_read_is_audited_for_the_tenants_it_touched_newest_first()
    {
        using var platform = Bearer(_platformToken);
        Assert.Equal(HttpStatusCode.OK, (await platform.GetAsync("/api/platform/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.GetAsync("/api/platform/customers?search=alpha")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.GetAsync($"/api/platform/tenants/{TenantA.Id}/customers?page=1")).StatusCode);

        var a = await AccessAsync(A);
        Assert.Equal(3, a.GetProperty("totalCount").GetInt32());
        var records = a.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["customers.list-tenant", "customers.list-all", "tenants.list-usage"], records.Select(r => Text(r, "action")));
        Assert.All(records, r => Assert.Equal(Actor, Text(r, "actor")));
        Assert.Equal("page 1, search ''", Text(records[0], "details"));
        // A cross-tenant search leaves only the fact of a search in each tenant's trail, never the term.
        Assert.Equal("page 1, with a search", Text(records[1], "details"));
        var times = records.Select(r => r.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);

        // B was touched only by the tenants list (the search found none of B's customers).
        var b = await AccessAsync(B);
        Assert.Equal(1, b.GetProperty("totalCount").GetInt32());
        var only = Assert.Single(b.GetProperty("items").EnumerateArray());
        Assert.Equal(("tenants.list-usage", Actor), (Text(only, "action"), Text(only, "actor")));
        Assert.DoesNotContain(records.Select(r => Text(r, "id")), id => b.GetRawText().Contains(id!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cross_tenant_list_audits_each_tenant_on_the_page()
    {
        using var platform = Bearer(_platformToken);
        Assert.Equal(HttpStatusCode.OK, (await platform.GetAsync("/api/platform/customers")).StatusCode);

        foreach (var tenant in new[] { A, B })
        {
            var item = Assert.Single((await AccessAsync(tenant)).GetProperty("items").EnumerateArray());
            Assert.Equal(("customers.list-all", Actor), (Text(item, "action"), Text(item, "actor")));
        }
    }

    [Theory]
    [InlineData("/api/platform/tenants")]
    [InlineData("/api/platform/customers")]
    [InlineData("/api/platform/tenants/{a}/customers")]
    [InlineData("/api/platform/tenants/{b}/customers")]
    public async Task Tenant_clients_with_every_tenant_scope_get_403_and_no_data(string url)
    {
        foreach (var client in new[] { A, B })
        {
            using var response = await client.GetAsync(url.Replace("{a}", TenantA.Id.ToString()).Replace("{b}", TenantB.Id.ToString()));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString());
            var text = await response.Content.ReadAsStringAsync();
            Assert.All(_customersA.Concat(_customersB).Append("Alpha").Append("Bravo"), secret => Assert.DoesNotContain(secret, text));
        }
        Assert.Equal(0, (await AccessAsync(A)).GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await AccessAsync(B)).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_tenant_client_cannot_obtain_a_platform_token()
    {
        using var anonymous = Factory.CreateClient();
        var (status, error) = await TokenErrorAsync(anonymous, TenantA.ClientId, TenantA.ClientSecret, "platform.admin");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope"), (status, error));

        // Not even when the client row (wrongly) allows the scope: a client of a tenant never gets it.
        var (clientId, secret) = await Factory.AddClientAsync(TenantA.Id, "a-misconfigured", "crm.read", "platform.admin");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope"), await TokenErrorAsync(anonymous, clientId, secret, "platform.admin"));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope"), await TokenErrorAsync(anonymous, clientId, secret, null));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope"), await TokenErrorAsync(anonymous, clientId, secret, "crm.read platform.admin"));
    }

    [Theory]
    [InlineData("GET", "/api/customers")]
    [InlineData("GET", "/api/contacts")]
    [InlineData("GET", "/api/customers/{customer}")]
    [InlineData("GET", "/api/contacts/{contact}")]
    [InlineData("DELETE", "/api/customers/{customer}")]
    [InlineData("GET", "/api/platform-access")]
    public async Task The_platform_token_gets_403_on_tenant_endpoints(string method, string url)
    {
        using var platform = Bearer(_platformToken);
        using var response = await platform.SendAsync(new HttpRequestMessage(new HttpMethod(method), Fill(url)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Json(response);
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Equal("Forbidden", Text(problem, "title"));
        Assert.DoesNotContain("Alpha", problem.GetRawText());
        Assert.Equal(2, (await Json(await A.GetAsync("/api/customers"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_tenantless_token_with_a_tenant_scope_is_refused_as_having_no_tenant()
    {
        // An operator client that (wrongly) also holds crm.read still has no tenant: the tenant guard refuses it.
        var secret = ClientSecretHasher.GenerateSecret();
        await using (var db = Factory.Database.Owner())
        {
            db.OAuthClients.Add(CrmTenancy.Infrastructure.Identity.Server.CrmApplication.CreateConfidential(
                null, "platform-reader", "Platform reader", ClientSecretHasher.Hash(secret), ["platform.admin", "crm.read"], DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }
        using var client = Bearer(await Factory.TokenAsync("platform-reader", secret, "crm.read"));

        using var response = await client.GetAsync("/api/customers");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Json(response);
        Assert.EndsWith("tenant-required", Text(problem, "type"));
        Assert.DoesNotContain("Alpha", problem.GetRawText());

        using var byId = await client.GetAsync($"/api/customers/{_customersA[0]}");
        Assert.Equal(HttpStatusCode.Forbidden, byId.StatusCode);
    }

    [Fact]
    public async Task The_access_trail_needs_crm_admin()
    {
        var (clientId, secret) = await Factory.AddClientAsync(TenantA.Id, "a-reader", "crm.read");
        using var reader = Bearer(await Factory.TokenAsync(clientId, secret));

        using var response = await reader.GetAsync("/api/platform-access");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString());

        var (writerId, writerSecret) = await Factory.AddClientAsync(TenantA.Id, "a-writer", "crm.read", "crm.write");
        using var writer = Bearer(await Factory.TokenAsync(writerId, writerSecret));
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/api/platform-access")).StatusCode);

        var (adminId, adminSecret) = await Factory.AddClientAsync(TenantA.Id, "a-admin", "crm.admin");
        using var admin = Bearer(await Factory.TokenAsync(adminId, adminSecret));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/platform-access")).StatusCode);
    }

    [Theory]
    [InlineData("/api/platform/customers?pageSize=0", "pageSize")]
    [InlineData("/api/platform/customers?page=0", "page")]
    [InlineData("/api/platform/customers?pageSize=100000", "pageSize")]
    [InlineData("/api/platform/customers?page=-1", "page")]
    [InlineData("/api/platform/tenants/{a}/customers?pageSize=0", "pageSize")]
    [InlineData("/api/platform/tenants/{a}/customers?page=0", "page")]
    [InlineData("/api/platform/customers?page=x", "page")]
    public async Task Bad_paging_on_platform_lists_is_400_and_audits_nothing(string url, string field)
    {
        using var platform = Bearer(_platformToken);
        using var response = await platform.GetAsync(Fill(url));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Contains(field, problem.GetRawText());
        Assert.Equal(0, (await AccessAsync(A)).GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("/api/platform-access?pageSize=0")]
    [InlineData("/api/platform-access?page=0")]
    public async Task Bad_paging_on_the_access_trail_is_400(string url) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await A.GetAsync(url)).StatusCode);

    private string Fill(string url) =>
        url.Replace("{a}", TenantA.Id.ToString()).Replace("{customer}", _customersA[0]).Replace("{contact}", _contactA);

    private HttpClient Bearer(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> AccessAsync(HttpClient tenant)
    {
        using var response = await tenant.GetAsync("/api/platform-access");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    private static async Task<(HttpStatusCode, string?)> TokenErrorAsync(HttpClient client, string clientId, string secret, string? scope)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null)
            form["scope"] = scope;
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        var body = await Json(response);
        Assert.False(body.TryGetProperty("access_token", out _));
        return (response.StatusCode, body.GetProperty("error").GetString());
    }

    private static string Id(JsonElement element) => element.GetProperty("id").GetString()!;

    private static string? Text(JsonElement element, string name) => element.GetProperty(name).GetString();
}
