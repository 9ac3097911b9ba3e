using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// Every error the API produces is an RFC 9457 problem document (<c>application/problem+json</c>) whatever the
/// request's Accept header asks for: never a 500 because no writer matched Accept, never an HTML or text page.
/// </summary>
public sealed class ProblemContentNegotiationTests(ApiFactory factory) : ApiTest(factory)
{
    public static TheoryData<string> Accepts => ["text/plain", "application/xml", "text/html", "text/html,application/xhtml+xml;q=0.9"];

    private sealed record Case(string Name, HttpStatusCode Status, Func<Task<HttpRequestMessage>> Request, HttpClient? Client);

    private async Task<List<Case>> CasesAsync()
    {
        var customer = (await CreateCustomerAsync(A, new { name = "Acme" })).GetProperty("id").GetString()!;
        await CreateContactAsync(A, new { firstName = "Ann", lastName = "One", email = "ann@acme.test" });
        var readOnly = await Factory.ClientForAsync(TenantA, "crm.read");
        return
        [
            new("400 malformed body", HttpStatusCode.BadRequest, () => Task.FromResult(Json(HttpMethod.Post, "/api/customers", "{\"name\":")), A),
            new("400 validation", HttpStatusCode.BadRequest, () => Task.FromResult(Json(HttpMethod.Post, "/api/customers", "{\"name\":\"\"}")), A),
            new("401 no token", HttpStatusCode.Unauthorized, () => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/customers")), null),
            new("401 bad token", HttpStatusCode.Unauthorized, () => Task.FromResult(Bearer(new HttpRequestMessage(HttpMethod.Get, "/api/customers"), "not.a.token")), null),
            new("403 insufficient scope", HttpStatusCode.Forbidden, () => Task.FromResult(Json(HttpMethod.Post, "/api/customers", "{\"name\":\"x\"}")), readOnly),
            new("404 another tenant's id", HttpStatusCode.NotFound, () => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, $"/api/customers/{customer}")), B),
            new("404 no such route", HttpStatusCode.NotFound, () => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/no-such-thing")), A),
            new("405 method not allowed", HttpStatusCode.MethodNotAllowed, () => Task.FromResult(new HttpRequestMessage(HttpMethod.Patch, "/api/customers")), A),
            new("409 duplicate", HttpStatusCode.Conflict, () => Task.FromResult(Json(HttpMethod.Post, "/api/contacts", "{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"ann@acme.test\"}")), A),
            new("412 stale If-Match", HttpStatusCode.PreconditionFailed, () =>
            {
                var request = Json(HttpMethod.Put, $"/api/customers/{customer}", "{\"name\":\"Acme 2\",\"source\":\"Direct\"}");
                request.Headers.IfMatch.ParseAdd("\"999\"");
                return Task.FromResult(request);
            }, A),
            new("415 not JSON", HttpStatusCode.UnsupportedMediaType, () =>
                Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/customers") { Content = new StringContent("name=x", Encoding.UTF8, "text/plain") }), A),
        ];
    }

    private static HttpRequestMessage Json(HttpMethod method, string url, string body) =>
        new(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage Bearer(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task Every_error_status_is_a_problem_document_whatever_accept_says(string accept)
    {
        var failures = new List<string>();
        using var anonymous = Factory.CreateClient();
        foreach (var @case in await CasesAsync())
        {
            using var request = await @case.Request();
            request.Headers.Accept.Clear();
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await (@case.Client ?? anonymous).SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != @case.Status)
                failures.Add($"{@case.Name}: {(int)response.StatusCode} (wanted {(int)@case.Status}) {body[..Math.Min(body.Length, 200)]}");
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{@case.Name}: content type {response.Content.Headers.ContentType}");
            else if (!body.Contains("\"type\":", StringComparison.Ordinal) || body.Contains("<html", StringComparison.OrdinalIgnoreCase))
                failures.Add($"{@case.Name}: not a problem document: {body[..Math.Min(body.Length, 200)]}");
        }

        Assert.True(failures.Count == 0, $"Accept: {accept}{Environment.NewLine}" + string.Join(Environment.NewLine, failures));
    }
}
