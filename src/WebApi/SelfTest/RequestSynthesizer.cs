using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmTenancy.WebApi.SelfTest;

/// <summary>
/// Builds requests from the OpenAPI document: URLs with a tenant's ids in their path parameters, and bodies from the
/// operation's schema.
/// </summary>
public sealed class RequestSynthesizer(JsonElement schemas)
{
    /// <summary>The least privileged scope: a client the scanner registers asks for nothing more.</summary>
    private const string ScanScope = "crm.read";

    /// <summary>The URL with the tenant's ids (or random ones) in the id parameters and its marker in the others.</summary>
    public static (string? Url, string? Error) Fill(ApiOperation op, ScanTenant tenant, bool randomIds)
    {
        var parts = new List<string>();
        for (var i = 0; i < op.Segments.Length; i++)
        {
            var segment = op.Segments[i];
            if (!ApiOperation.IsParameter(segment))
            {
                parts.Add(segment);
                continue;
            }
            var name = ApiOperation.ParameterName(segment);
            var schema = op.ParameterSchema(name);
            var isId = (schema is { } s && IsUuid(s)) || name.Equals("id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Id", StringComparison.Ordinal);
            if (!isId)
            {
                parts.Add(schema is { } t && TypeOf(t) is "integer" or "number" ? "1" : Uri.EscapeDataString(tenant.Marker));
                continue;
            }
            if (randomIds)
            {
                parts.Add(Guid.NewGuid().ToString());
                continue;
            }
            var resource = ResourceNames.ResourceForIdName(name, tenant.Ids.Keys)
                           ?? (i > 0 ? ResourceNames.ResourceForSegment(op.Segments[i - 1], tenant.Ids.Keys) : null);
            if (resource is null)
                return (null, $"no seeded resource of {tenant.Label} for '{{{name}}}' (seeded: {string.Join(", ", tenant.Ids.Keys)})");
            parts.Add(tenant.Ids[resource]);
        }
        return ("/" + string.Join('/', parts), null);
    }

    public sealed record Synthesized(JsonNode? Body, List<string> ParentRefs, List<string> Unresolved, bool LastEnum = false);

    /// <summary>
    /// A body for the operation from its schema: text fields get <paramref name="text"/> (shaped as an e-mail or URL
    /// when the name says so), <c>&lt;resource&gt;Id</c> uuids the tenant's id of that resource, other uuids a new
    /// Guid, enums their first value, nullable and oneOf their non-null branch, arrays one element.
    /// </summary>
    public Synthesized Synthesize(ApiOperation op, ScanTenant tenant, string text, IReadOnlySet<string>? creatable, bool lastEnum = false)
    {
        var result = new Synthesized(null, [], [], lastEnum);
        if (op.BodyExample is { } example)
            return result with { Body = JsonNode.Parse(example.GetRawText().Replace("{text}", text, StringComparison.Ordinal)) };
        if (op.Body is not { } schema)
            return result;
        return result with { Body = Value(null, schema, tenant, text, creatable, result, 0) };
    }

    private JsonNode? Value(string? name, JsonElement schema, ScanTenant tenant, string text, IReadOnlySet<string>? creatable, Synthesized result, int depth)
    {
        if (depth > 8)
            return null;
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
            return StringValue(name, default, tenant, text, creatable, result);

        if (schema.TryGetProperty("enum", out var values))
        {
            var candidates = values.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).ToList();
            var chosen = result.LastEnum ? candidates.LastOrDefault() : candidates.FirstOrDefault();
            return chosen.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(chosen.GetRawText());
        }
        foreach (var composite in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(composite, out var branches))
            {
                var branch = branches.EnumerateArray().FirstOrDefault(b => TypeOf(Resolve(b)) != "null");
                return branch.ValueKind == JsonValueKind.Undefined ? null : Value(name, branch, tenant, text, creatable, result, depth + 1);
            }
        }

        switch (TypeOf(schema))
        {
            case "null":
                return null;
            case "object":
                var obj = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                        obj[property.Name] = Value(property.Name, property.Value, tenant, text, creatable, result, depth + 1);
                }
                return obj;
            case "array":
                var items = schema.TryGetProperty("items", out var itemSchema) ? itemSchema : default;
                return new JsonArray(Value(name is null ? null : Singular(name), items, tenant, text, creatable, result, depth + 1));
            case "integer":
            case "number":
                return JsonValue.Create(1);
            case "boolean":
                return JsonValue.Create(false);
            default:
                return StringValue(name, schema, tenant, text, creatable, result);
        }
    }

    private static bool IsEnd(string name) => name.StartsWith("end", StringComparison.Ordinal) || name.StartsWith("until", StringComparison.Ordinal);

    private static JsonNode StringValue(string? name, JsonElement schema, ScanTenant tenant, string text, IReadOnlySet<string>? creatable, Synthesized result)
    {
        var format = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var lower = name?.ToLowerInvariant() ?? "";
        switch (format)
        {
            case "uuid":
                if (name is not null && ResourceNames.ResourceForIdName(name, tenant.Ids.Keys) is { } resource)
                {
                    result.ParentRefs.Add(name);
                    return JsonValue.Create(tenant.Ids[resource]);
                }
                if (name is not null && creatable is not null && ResourceNames.ResourceForIdName(name, creatable) is { } missing)
                    result.Unresolved.Add(missing);
                return JsonValue.Create(Guid.NewGuid().ToString());
            // The end of a range (endsAt, endOn, until) after its start, so a body with both is valid.
            case "date":
                return JsonValue.Create(IsEnd(lower) ? "2026-01-02" : "2026-01-01");
            case "date-time":
                return JsonValue.Create(IsEnd(lower) ? "2026-01-02T00:00:00Z" : "2026-01-01T00:00:00Z");
            case "email":
                return JsonValue.Create($"{text}@example.com");
            case "uri" or "url":
                return JsonValue.Create($"https://{text}.example");
        }
        if (lower.Contains("email", StringComparison.Ordinal))
            return JsonValue.Create($"{text}@example.com");
        // A number a call could dial (a voice campaign takes only people with one).
        if (lower is "phone" or "phonenumber")
            return JsonValue.Create("+1 555 0100");
        // OAuth scopes are a closed set: a client the scanner registers asks for the least privileged one.
        if (lower is "scope" or "scopes")
            return JsonValue.Create(ScanScope);
        if (lower.Contains("website", StringComparison.Ordinal) || lower.EndsWith("url", StringComparison.Ordinal) || lower.EndsWith("uri", StringComparison.Ordinal))
            return JsonValue.Create($"https://{text}.example");
        return JsonValue.Create(text);
    }

    private JsonElement Resolve(JsonElement schema)
    {
        for (var i = 0; i < 16 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); i++)
        {
            var name = reference.GetString()!.Split('/')[^1];
            if (schemas.ValueKind != JsonValueKind.Object || !schemas.TryGetProperty(name, out schema))
                return default;
        }
        return schema;
    }

    /// <summary>
    /// The schema's non-null type. OpenAPI 3.1 writes nullable as ["null","string"]; this document also writes
    /// numbers as ["integer","string"] (with a pattern), where the string is the alternative; a schema without a
    /// type is an object or array by its keywords, and otherwise a string (the document gives strings no type).
    /// </summary>
    private static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return "string";
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
                return type.GetString()!;
            var types = type.EnumerateArray().Select(t => t.GetString()!).Where(t => t != "null").ToList();
            if (types.Count > 1)
                types.Remove("string");
            return types.FirstOrDefault() ?? "null";
        }
        if (schema.TryGetProperty("properties", out _))
            return "object";
        if (schema.TryGetProperty("items", out _))
            return "array";
        return "string";
    }

    public static bool IsUuid(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var format) && format.GetString() == "uuid";

    private static string Singular(string name) =>
        name.EndsWith("ies", StringComparison.Ordinal) ? name[..^3] + "y" : name.EndsWith('s') ? name[..^1] : name;
}
