using System.Text.Json;
using CrmTenancy.Application.Abstractions;

namespace CrmTenancy.WebApi.SelfTest;

public sealed record ApiParameter(string Name, string In, JsonElement Schema);

/// <summary>One operation of the OpenAPI document.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonElement? Body, JsonElement? BodyExample = null)
{
    public string[] Segments { get; } = Path.Trim('/').Split('/');

    public bool HasPathParameters => Segments.Any(IsParameter);

    public static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    public static string ParameterName(string segment) => segment[1..^1].Split(':')[0];

    public JsonElement? ParameterSchema(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name && p.In == "path")?.Schema;

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>Reads the operations of the OpenAPI document that reach a tenant's data, with their parameters and bodies.</summary>
public static class OpenApiReader
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>The tenant-data operations of <paramref name="document"/> and its component schemas.</summary>
    public static (IReadOnlyList<ApiOperation> Operations, JsonElement Schemas) Read(JsonElement document)
    {
        var schemas = document.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var found)
            ? found
            : default;
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var common) ? Parameters(common) : [];
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name) && IsTenantData(m.Value) && !IsEventStream(m.Value)))
            {
                var parameters = shared.Concat(method.Value.TryGetProperty("parameters", out var own) ? Parameters(own) : []).ToList();
                JsonElement? body = method.Value.TryGetProperty("requestBody", out var requestBody)
                                    && requestBody.TryGetProperty("content", out var content)
                                    && content.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } json
                                    && json.Value.TryGetProperty("schema", out var schema)
                    ? schema
                    : null;
                // An operation may show a valid body (a workflow's steps name each other): the scanner sends that one.
                JsonElement? example = method.Value.TryGetProperty("requestBody", out var withExample)
                                       && withExample.TryGetProperty("content", out var exampleContent)
                                       && exampleContent.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } exampleJson
                                       && exampleJson.Value.TryGetProperty("example", out var given)
                    ? given
                    : null;
                operations.Add(new ApiOperation(method.Name.ToUpperInvariant(), path.Name, parameters, body, example));
            }
        }
        return (operations, schemas);
    }

    /// <summary>
    /// A Server-Sent Events stream never ends, so a scan that reads whole answers would wait on it forever: its own tests
    /// (<c>ChangeFeedTests</c>) prove that another tenant's stream never carries a tenant's events, and its bad input.
    /// </summary>
    public static bool IsEventStream(JsonElement operation) =>
        operation.TryGetProperty("responses", out var responses)
        && responses.EnumerateObject().Any(r => r.Value.TryGetProperty("content", out var content)
                                                && content.EnumerateObject().Any(c => c.Name == "text/event-stream"));

    /// <summary>
    /// Whether an operation of the document reaches a tenant's data: it requires a tenant scope (crm.read, crm.write,
    /// crm.admin). Anonymous operations (sign-up, the OAuth2 endpoints, health), the platform's (platform.admin) and
    /// those any valid token may call about itself (/api/me) are not scanned; their own tests cover them.
    /// </summary>
    public static bool IsTenantData(JsonElement operation) =>
        operation.TryGetProperty("security", out var security)
        && security.EnumerateArray().SelectMany(requirement => requirement.EnumerateObject())
            .SelectMany(scheme => scheme.Value.EnumerateArray().Select(scope => scope.GetString()))
            .Any(scope => Scopes.Tenant.Contains(scope));

    private static List<ApiParameter> Parameters(JsonElement list) =>
        list.EnumerateArray()
            .Select(p => new ApiParameter(
                p.GetProperty("name").GetString()!,
                p.GetProperty("in").GetString()!,
                p.TryGetProperty("schema", out var s) ? s : default))
            .ToList();
}
