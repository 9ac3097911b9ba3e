using System.Net;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// Read from the OpenAPI document, so a new endpoint is covered as soon as it is mapped: every operation answers
/// 401 without a token, except the few that are anonymous by design, listed here.
/// </summary>
public sealed class AnonymousAccessTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly HashSet<string> AnonymousByDesign =
    [
        "POST /api/signup",
        "POST /api/invitations/accept",
        // A tenant export's download link is its own credential (a sealed, expiring token), as a pre-signed URL is.
        "GET /api/privacy/exports/download",
        "GET /.well-known/jwks.json",
        "GET /.well-known/openid-configuration",
        "GET /health/live",
        "GET /health/ready",
    ];

    [Fact]
    public async Task Every_documented_operation_but_the_anonymous_ones_answers_401_without_a_token()
    {
        using var anonymous = Factory.CreateClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var checkedOperations = new List<string>();
        var failures = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (AnonymousByDesign.Contains(name))
                    continue;
                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", Guid.CreateVersion7().ToString());
                using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), url);
                if (operation.Name is "post" or "put" or "patch")
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                using var response = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
                checkedOperations.Add(name);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                    failures.Add($"{name}: {(int)response.StatusCode}");
            }
        }
        Assert.True(checkedOperations.Count >= 30, $"only {checkedOperations.Count} operations found");
        Assert.Contains("GET /api/team/users", checkedOperations);
        Assert.Contains("POST /api/clients", checkedOperations);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task The_anonymous_operations_are_still_in_the_document()
    {
        using var anonymous = Factory.CreateClient();
        var text = await anonymous.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(text);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/signup", out _));
        Assert.True(paths.TryGetProperty("/api/invitations/accept", out _));
    }
}
