using System.Net;
using System.Net.Http.Headers;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>Every endpoint needs a token (401 without) and its scope (403 without, for a valid token of the caller's own tenant).</summary>
public sealed class AccessTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly string Id = Guid.CreateVersion7().ToString();

    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/api/customers", "crm.read" },
        { "GET", $"/api/customers/{Id}", "crm.read" },
        { "POST", "/api/customers", "crm.write" },
        { "PUT", $"/api/customers/{Id}", "crm.write" },
        { "DELETE", $"/api/customers/{Id}", "crm.write" },
        { "POST", $"/api/customers/{Id}/status", "crm.write" },
        { "PUT", $"/api/customers/{Id}/assignee", "crm.write" },
        { "POST", $"/api/customers/{Id}/tags", "crm.write" },
        { "DELETE", $"/api/customers/{Id}/tags/x", "crm.write" },
        { "POST", $"/api/customers/{Id}/purchases", "crm.write" },
        { "GET", "/api/contacts", "crm.read" },
        { "GET", $"/api/contacts/{Id}", "crm.read" },
        { "POST", "/api/contacts", "crm.write" },
        { "PUT", $"/api/contacts/{Id}", "crm.write" },
        { "DELETE", $"/api/contacts/{Id}", "crm.write" },
        { "POST", $"/api/contacts/{Id}/primary", "crm.write" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_token_the_answer_is_401_with_a_bearer_challenge(string method, string url, string scope)
    {
        using var client = Factory.CreateClient();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = RawJson("{}") });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotEmpty(scope);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_token_without_the_needed_scope_gets_403(string method, string url, string scope)
    {
        var other = scope == "crm.read" ? "crm.write" : "crm.read";
        var (clientId, secret) = await Factory.AddClientAsync(TenantA.Id, $"only-{other}", other);
        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Factory.TokenAsync(clientId, secret));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = RawJson("{}") });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_garbage_bearer_token_gets_401_naming_invalid_token()
    {
        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        using var response = await client.GetAsync("/api/customers");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }
}
