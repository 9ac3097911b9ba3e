using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>A client holding crm.write but not crm.read can change data but never reads it back through a write.</summary>
public sealed class WriteOnlyCallerTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Writes_answer_without_a_body_but_with_the_etag()
    {
        var (clientId, secret) = await Factory.AddClientAsync(TenantA.Id, "writer-only", "crm.write");
        using var writer = Factory.CreateClient();
        writer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Factory.TokenAsync(clientId, secret));

        using var created = await writer.PostAsJsonAsync("/api/customers", new { name = "Written blind" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Empty(await created.Content.ReadAsByteArrayAsync());
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        var location = created.Headers.Location!.ToString();

        using var tagged = await writer.PostAsJsonAsync($"{location}/tags", new { tags = new[] { "x" } });
        Assert.Equal(HttpStatusCode.NoContent, tagged.StatusCode);
        Assert.Equal("\"2\"", tagged.Headers.ETag!.Tag);

        using var read = await writer.GetAsync(location);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(["x"], (await Json(await A.GetAsync(location))).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task A_malformed_token_form_is_invalid_request_not_a_server_error()
    {
        using var client = Factory.CreateClient();
        var body = string.Join("&", Enumerable.Range(0, 1100).Select(i => $"k{i}=1"));
        using var response = await client.PostAsync("/connect/token", new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await Json(response)).GetProperty("error").GetString());

        using var nul = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "a\0b", ["client_secret"] = "x",
        }));
        var error = (await Json(nul)).GetProperty("error").GetString();
        Assert.True(nul.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{nul.StatusCode} {error}");
        Assert.Contains(error, new[] { "invalid_request", "invalid_client" });
    }
}
