using System.Net;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>What the host serves besides the API: health, the OpenAPI document and its docs page.</summary>
public sealed class HostTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy_without_a_token(string url)
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_types_strings_and_string_lists()
    {
        using var client = Factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var create = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("CreateCustomer").GetProperty("properties");
        Assert.Equal("string", create.GetProperty("name").GetProperty("type").GetString());
        Assert.Contains("string", create.GetProperty("email").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("string", create.GetProperty("tags").GetProperty("items").GetProperty("type").GetString());
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/api/customers/{id}", out _));
    }

    [Fact]
    public async Task The_interactive_docs_page_is_served()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
