using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Clients;

/// <summary>
/// A tenant's integration clients, managed by its administrators: the secret is shown once (at registration and at
/// rotation), a rotated secret or a revoked client stops working, and another tenant's admin finds none of it.
/// </summary>
public sealed class ClientManagementTests(ApiFactory factory) : ApiTest(factory)
{
    private HttpClient _asAdminA = null!;
    private HttpClient _asAdminB = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        (_, _asAdminA) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        (_, _asAdminB) = await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
    }

    public override async ValueTask DisposeAsync()
    {
        _asAdminA.Dispose();
        _asAdminB.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_registered_client_shows_its_secret_once_and_gets_tokens_with_client_credentials()
    {
        using var response = await _asAdminA.PostAsJsonAsync("/api/clients", new
        {
            name = "  Billing sync ", scopes = new[] { "crm.read", "crm.read" }, redirectUris = new[] { "https://billing.example/callback", "http://127.0.0.1:8765/cb" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var created = await Json(response);
        var client = created.GetProperty("client");
        var id = client.GetProperty("id").GetString()!;
        var clientId = client.GetProperty("clientId").GetString()!;
        var secret = created.GetProperty("clientSecret").GetString()!;
        Assert.Equal($"/api/clients/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("Billing sync", client.GetProperty("name").GetString());
        Assert.Equal(["crm.read"], client.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, client.GetProperty("redirectUris").GetArrayLength());
        Assert.True(secret.Length >= 32, secret);

        // Reading the client back never shows the secret or its hash.
        foreach (var url in new[] { "/api/clients", $"/api/clients/{id}" })
        {
            using var read = await _asAdminA.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var text = await read.Content.ReadAsStringAsync();
            Assert.Contains(clientId, text);
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain("clientSecret", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(JsonValueKind.Null, (await Json(await _asAdminA.GetAsync($"/api/clients/{id}"))).GetProperty("revokedAt").ValueKind);

        // The client gets a token for its tenant, limited to its scopes.
        using var api = await ApiAsync(clientId, secret);
        var me = await Json(await api.GetAsync("/api/me"));
        Assert.Equal("client", me.GetProperty("kind").GetString());
        Assert.Equal(clientId, me.GetProperty("clientId").GetString());
        Assert.Equal(TenantA.Id, me.GetProperty("tenant").GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/customers", new { name = "Not allowed" })).StatusCode);
    }

    [Fact]
    public async Task Rotating_the_secret_invalidates_the_old_one_at_once()
    {
        var (id, clientId, oldSecret) = await RegisterAsync(_asAdminA, "Rotating");
        using var issuedBefore = await ApiAsync(clientId, oldSecret);

        using var rotate = await _asAdminA.PostAsync($"/api/clients/{id}/secret", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        Assert.Equal("no-store", rotate.Headers.CacheControl!.ToString());
        var rotated = await Json(rotate);
        Assert.Equal(id, rotated.GetProperty("id").GetString());
        var newSecret = rotated.GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);

        using var withOld = await TokenRequestAsync(clientId, oldSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        Assert.Equal("invalid_client", (await Json(withOld)).GetProperty("error").GetString());
        using var withNew = await ApiAsync(clientId, newSecret);
        Assert.Equal(HttpStatusCode.OK, (await withNew.GetAsync("/api/customers")).StatusCode);
        // Tokens already issued stay valid until they expire (documented on RotateClientSecret).
        Assert.Equal(HttpStatusCode.OK, (await issuedBefore.GetAsync("/api/customers")).StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await Json(await _asAdminA.GetAsync($"/api/clients/{id}"))).GetProperty("secretRotatedAt").ValueKind);
    }

    [Fact]
    public async Task Revoking_a_client_refuses_new_tokens_and_ends_the_issued_ones()
    {
        var (id, clientId, secret) = await RegisterAsync(_asAdminA, "Revoked");
        using var api = await ApiAsync(clientId, secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/customers")).StatusCode);

        using var revoke = await _asAdminA.DeleteAsync($"/api/clients/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var token = await TokenRequestAsync(clientId, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Equal("invalid_client", (await Json(token)).GetProperty("error").GetString());
        using var issued = await api.GetAsync("/api/customers");
        await AssertProblemAsync(issued, HttpStatusCode.Unauthorized, "invalid-token");

        // It stays listed as revoked, and a revoked client's secret cannot be brought back by rotation.
        Assert.NotEqual(JsonValueKind.Null, (await Json(await _asAdminA.GetAsync($"/api/clients/{id}"))).GetProperty("revokedAt").ValueKind);
        using var rotate = await _asAdminA.PostAsync($"/api/clients/{id}/secret", null);
        await AssertProblemAsync(rotate, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenRequestAsync(clientId, secret)).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_admin_gets_404_for_As_clients_and_never_sees_them()
    {
        var (id, clientId, secret) = await RegisterAsync(_asAdminA, "Private integration");
        var before = (await Json(await _asAdminA.GetAsync($"/api/clients/{id}"))).GetRawText();
        var missing = await AssertProblemAsync(await _asAdminB.GetAsync($"/api/clients/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound, "not-found");

        foreach (var (method, url) in new[] { (HttpMethod.Get, $"/api/clients/{id}"), (HttpMethod.Post, $"/api/clients/{id}/secret"), (HttpMethod.Delete, $"/api/clients/{id}") })
        {
            using var response = await _asAdminB.SendAsync(new HttpRequestMessage(method, url));
            var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
            Assert.Equal(missing.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
            Assert.DoesNotContain(clientId, await response.Content.ReadAsStringAsync());
        }

        var listOfB = await _asAdminB.GetStringAsync("/api/clients");
        Assert.DoesNotContain(id, listOfB);
        Assert.DoesNotContain(clientId, listOfB);
        Assert.DoesNotContain(TenantA.ClientId, listOfB);
        Assert.Contains(TenantB.ClientId, listOfB);

        // A's client is untouched: same record, same secret, still working.
        Assert.Equal(before, (await Json(await _asAdminA.GetAsync($"/api/clients/{id}"))).GetRawText());
        using var api = await ApiAsync(clientId, secret);
        Assert.Equal(TenantA.Id, (await Json(await api.GetAsync("/api/me"))).GetProperty("tenant").GetProperty("id").GetGuid());
    }

    public static TheoryData<string, string> BadRegistrations => new()
    {
        // body, the field the problem names
        { """{"name":"x","scopes":["platform.admin"]}""", "scopes" },
        { """{"name":"x","scopes":["crm.read","platform.admin"]}""", "scopes" },
        { """{"name":"x","scopes":["openid"]}""", "scopes" },
        { """{"name":"x","scopes":["CRM.READ"]}""", "scopes" },
        { """{"name":"x","scopes":[]}""", "scopes" },
        { """{"name":"x"}""", "scopes" },
        { """{"name":"x","scopes":"crm.read"}""", "scopes" },
        { """{"name":"x","scopes":["crm.read"],"redirectUris":["http://evil.example/cb"]}""", "redirectUris" },
        { """{"name":"x","scopes":["crm.read"],"redirectUris":["https://app.example/cb#fragment"]}""", "redirectUris" },
        { """{"name":"x","scopes":["crm.read"],"redirectUris":["https://app.example/cb#"]}""", "redirectUris" },
        { """{"name":"x","scopes":["crm.read"],"redirectUris":["https://user:pw@app.example/cb"]}""", "redirectUris" },
        { """{"name":"x","scopes":["crm.read"],"redirectUris":["/relative/cb"]}""", "redirectUris" },
        { """{"name":"x","scopes":["crm.read"],"redirectUris":["javascript:alert(1)"]}""", "redirectUris" },
        { """{"name":"x","scopes":["crm.read"],"redirectUris":["https://a.example/1","https://a.example/2","https://a.example/3","https://a.example/4","https://a.example/5","https://a.example/6","https://a.example/7","https://a.example/8","https://a.example/9","https://a.example/10","https://a.example/11"]}""", "redirectUris" },
        { """{"name":"","scopes":["crm.read"]}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}","scopes":["crm.read"]}""", "name" },
        { """{"name":42,"scopes":["crm.read"]}""", "name" },
        { """{"name":"x","scopes":["crm.read"],"clientSecret":"chosen-by-me"}""", "clientSecret" },
        { """{"name":"x","scopes":["crm.read"],"tenantId":"00000000-0000-0000-0000-000000000001"}""", "tenantId" },
        { """{"name":"x","scopes":["crm.read"]""", "body" },
        { """name=x""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registrations_get_400_naming_the_field_and_register_nothing(string body, string field)
    {
        var before = await _asAdminA.GetStringAsync("/api/clients");

        using var response = await _asAdminA.PostAsync("/api/clients", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal(before, await _asAdminA.GetStringAsync("/api/clients"));
    }

    [Fact]
    public async Task Integration_clients_and_members_cannot_manage_clients()
    {
        var (id, _, _) = await RegisterAsync(_asAdminA, "Guarded");
        var (_, asMember) = await UserAsync(TenantA, "member@a.example");
        using var memberClient = asMember;
        // Tenant A's integration client holds crm.admin, but it is not a TenantAdmin user.
        foreach (var caller in new[] { A, asMember })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.GetAsync("/api/clients")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.PostAsJsonAsync("/api/clients", new { name = "x", scopes = new[] { "crm.admin" } })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.PostAsync($"/api/clients/{id}/secret", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.DeleteAsync($"/api/clients/{id}")).StatusCode);
        }
        Assert.Equal(JsonValueKind.Null, (await Json(await _asAdminA.GetAsync($"/api/clients/{id}"))).GetProperty("revokedAt").ValueKind);
        Assert.Equal(2, (await Json(await _asAdminA.GetAsync("/api/clients"))).GetArrayLength());
    }

    private static async Task<(string Id, string ClientId, string Secret)> RegisterAsync(HttpClient admin, string name, params string[] scopes)
    {
        using var response = await admin.PostAsJsonAsync("/api/clients", new { name, scopes = scopes.Length == 0 ? ["crm.read", "crm.write"] : scopes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json(response);
        return (created.GetProperty("client").GetProperty("id").GetString()!, created.GetProperty("client").GetProperty("clientId").GetString()!,
            created.GetProperty("clientSecret").GetString()!);
    }

    private async Task<HttpResponseMessage> TokenRequestAsync(string clientId, string secret)
    {
        using var client = Anonymous();
        return await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
    }

    private async Task<HttpClient> ApiAsync(string clientId, string secret)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Factory.TokenAsync(clientId, secret));
        return client;
    }
}
