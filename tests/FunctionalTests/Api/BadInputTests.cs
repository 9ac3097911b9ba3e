using System.Net;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>Bad input gets a problem-details 4xx that names the problem, never a 500, and writes nothing.</summary>
public sealed class BadInputTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly string TooLong = new('x', 201);

    public static TheoryData<string, string, string, string> CreateRequests => new()
    {
        // url, body, expected status... field named in the problem
        { "/api/customers", """{"name":""", "400", "name" },
        { "/api/customers", """not json""", "400", "body" },
        { "/api/customers", """{"name":42}""", "400", "name" },
        { "/api/customers", """{"name":"ok","tags":"not-a-list"}""", "400", "tags" },
        { "/api/customers", """{"name":"ok","unknownField":1}""", "400", "unknownField" },
        { "/api/customers", """{"name":"ok","source":"telepathy"}""", "400", "source" },
        { "/api/customers", """{"name":"ok","source":2}""", "400", "source" },
        { "/api/customers", """{"name":""}""", "400", "name" },
        { "/api/customers", $$"""{"name":"{{TooLong}}"}""", "400", "name" },
        { "/api/customers", """{"name":"ok","email":"not-an-email"}""", "400", "email" },
        { "/api/customers", """{"name":"ok","website":"javascript:alert(1)"}""", "400", "website" },
        { "/api/customers", """{"name":"ok","tags":["   "]}""", "400", "tags[0]" },
        { "/api/customers", """{"name":"ok","tags":["vip",null]}""", "400", "tags[1]" },
        { "/api/customers", """{"name":"a\u0000b"}""", "400", "name" },
        { "/api/contacts", """{"firstName":"a","lastName":"b\u0007"}""", "400", "lastName" },
        { "/api/contacts", """{"firstName":"a"}""", "400", "lastName" },
        { "/api/contacts", """{"firstName":"a","lastName":"b","type":"enemy"}""", "400", "type" },
        { "/api/contacts", """{"firstName":"a","lastName":"b","customerId":"not-a-guid"}""", "400", "customerId" },
        { "/api/contacts", """{"firstName":"a","lastName":"b","customerId":"00000000-0000-0000-0000-000000000000"}""", "400", "customerId" },
        { "/api/contacts", $$"""{"firstName":"{{TooLong}}","lastName":"b"}""", "400", "firstName" },
    };

    [Theory]
    [MemberData(nameof(CreateRequests))]
    public async Task Bad_create_bodies_get_a_problem_naming_the_field_and_write_nothing(string url, string body, string status, string field)
    {
        using var response = await A.PostAsync(url, RawJson(body));

        Assert.Equal(int.Parse(status), (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Json(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem.GetRawText()}");
        Assert.Equal(0, (await Json(await A.GetAsync(url))).GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("/api/customers?page=0", "page")]
    [InlineData("/api/customers?pageSize=101", "pageSize")]
    [InlineData("/api/customers?page=abc", "page")]
    [InlineData("/api/customers?status=sleeping", "status")]
    [InlineData("/api/customers?sort=colour", "sort")]
    [InlineData("/api/customers?assigneeId=nope", "assigneeId")]
    [InlineData("/api/contacts?type=enemy", "type")]
    [InlineData("/api/contacts?pageSize=0", "pageSize")]
    [InlineData("/api/customers?page=%201", "page")]
    [InlineData("/api/customers?page=1%20", "page")]
    [InlineData("/api/customers?pageSize=%0910", "pageSize")]
    [InlineData("/api/contacts?page=+1", "page")]
    [InlineData("/api/contacts?customerId=%200198a000-0000-7000-8000-000000000000", "customerId")]
    public async Task Bad_query_parameters_get_a_400_naming_them(string url, string parameter)
    {
        using var response = await A.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Contains(parameter, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_search_term_that_is_too_long_is_refused()
    {
        using var response = await A.GetAsync($"/api/customers?search={new string('a', 101)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("search", out _));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"1\" \"2\"")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("1")]
    [InlineData("\"1")]
    public async Task A_malformed_if_match_is_a_400_and_changes_nothing(string ifMatch)
    {
        var id = (await CreateCustomerAsync(A, new { name = "Guarded" })).GetProperty("id").GetString();
        using var response = await A.SendAsync(Request(HttpMethod.Put, $"/api/customers/{id}", new { name = "Changed", source = "web" }, ifMatch));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("If-Match", (await Json(response)).GetProperty("detail").GetString());
        Assert.Equal("Guarded", (await Json(await A.GetAsync($"/api/customers/{id}"))).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_weak_if_match_never_matches_and_gets_412()
    {
        var created = await CreateCustomerAsync(A, new { name = "Guarded" });
        var id = created.GetProperty("id").GetString();
        using var response = await A.SendAsync(Request(HttpMethod.Put, $"/api/customers/{id}", new { name = "Changed", source = "web" },
            $"W/\"{created.GetProperty("version").GetInt32()}\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("Guarded", (await Json(await A.GetAsync($"/api/customers/{id}"))).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        var huge = $$"""{"name":"big","notes":"{{new string('n', 300 * 1024)}}"}""";
        using var response = await A.PostAsync("/api/customers", RawJson(huge));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, (await Json(await A.GetAsync("/api/customers"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Bad_purchase_amounts_and_status_values_are_refused_and_change_nothing()
    {
        var id = (await CreateCustomerAsync(A, new { name = "Buyer" })).GetProperty("id").GetString();
        foreach (var body in new[] { """{"amount":-5}""", """{"amount":0}""", """{"amount":"ten"}""", """{"amount":1.234}""", """{"amount":5,"on":"2999-01-01"}""" })
        {
            using var response = await A.PostAsync($"/api/customers/{id}/purchases", RawJson(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using var status = await A.PostAsync($"/api/customers/{id}/status", RawJson("""{"status":7}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);

        var customer = await Json(await A.GetAsync($"/api/customers/{id}"));
        Assert.Equal(0m, customer.GetProperty("totalRevenue").GetDecimal());
        Assert.Equal("active", customer.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, customer.GetProperty("updatedAt").ValueKind);
    }

    [Fact]
    public async Task Unknown_routes_get_a_problem_404()
    {
        using var response = await A.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/api/customers?search=a%00b")]
    [InlineData("/api/customers?tag=a%00")]
    [InlineData("/api/contacts?search=%00")]
    public async Task Control_characters_in_the_query_get_a_400(string url)
    {
        using var response = await A.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("control characters", (await Json(response)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"tags":null}""")]
    [InlineData("""{"tags":[]}""")]
    public async Task Adding_no_tags_is_a_400_naming_tags(string body)
    {
        var id = (await CreateCustomerAsync(A, new { name = "Tagless" })).GetProperty("id").GetString();
        using var response = await A.PostAsync($"/api/customers/{id}/tags", RawJson(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("tags", out _));
    }

    [Fact]
    public async Task Search_lowercases_non_ascii_letters_like_the_database_does()
    {
        await CreateCustomerAsync(A, new { name = "Émile Zola SARL" });
        var page = await Json(await A.GetAsync("/api/customers?search=émile"));
        Assert.Equal(1, page.GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("application/json; charset=nonsense")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    public async Task A_json_body_in_another_charset_than_utf8_is_415_and_writes_nothing(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/customers") { Content = new StringContent("{\"name\":\"Charset\"}") };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await A.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("unsupported-media-type", await response.Content.ReadAsStringAsync());
        using var list = await A.GetAsync("/api/customers?search=Charset");
        Assert.Equal(0, (await Json(list)).GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json")]
    public async Task A_json_body_in_utf8_is_taken(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/customers") { Content = new StringContent("{\"name\":\"Charset\"}") };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await A.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
