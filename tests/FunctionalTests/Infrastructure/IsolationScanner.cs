using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmTenancy.FunctionalTests.Infrastructure;

/// <summary>One isolation failure the scanner found, with the operation as the OpenAPI document names it.</summary>
public sealed record IsolationViolation(string Method, string Path, string Check, string Expected, string Actual)
{
    public override string ToString() => $"{Method} {Path} [{Check}]: expected {Expected}; actual {Actual}";
}

/// <summary>What the scanner did and what it found. Counts let a test assert the scan was not vacuous.</summary>
public sealed class IsolationScanReport
{
    public List<IsolationViolation> Violations { get; } = [];
    /// <summary>Operations with path parameters sent as tenant B with tenant A's ids ("METHOD /path").</summary>
    public List<string> ByIdOperations { get; } = [];
    /// <summary>Operations whose body names a parent, sent as B on B's own resource with A's parent id.</summary>
    public List<string> CrossLinkOperations { get; } = [];
    /// <summary>Create operations sent as B with A's parent id.</summary>
    public List<string> ForeignCreates { get; } = [];
    /// <summary>List and search operations (GET without path parameters) called as B.</summary>
    public List<string> ListOperations { get; } = [];
    /// <summary>Writes without path parameters that are not creates (the caller's own singletons, e.g. its tenant's settings), sent as B.</summary>
    public List<string> SingletonWrites { get; } = [];
    public int ListRequests { get; set; }
    /// <summary>A's resources compared before and after the scan (resource name → URL).</summary>
    public Dictionary<string, string> ComparedResources { get; } = [];
    public Dictionary<string, string> SeededA { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> SeededB { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Add(ApiOperation op, string check, string expected, string actual) =>
        Violations.Add(new IsolationViolation(op.Method, op.Path, check, expected, actual));

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Violations.Count} isolation violation(s); checked {ByIdOperations.Count} by-id operations, " +
                        $"{CrossLinkOperations.Count} cross-links, {ForeignCreates.Count} foreign creates, " +
                        $"{ListOperations.Count} lists in {ListRequests} requests, {SingletonWrites.Count} singleton writes, " +
                        $"{ComparedResources.Count} resources of A compared.");
        foreach (var violation in Violations)
            text.AppendLine("  " + violation);
        return text.ToString();
    }
}

public sealed record ApiParameter(string Name, string In, JsonElement Schema);

/// <summary>One operation of the OpenAPI document.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonElement? Body)
{
    public string[] Segments { get; } = Path.Trim('/').Split('/');

    public bool HasPathParameters => Segments.Any(IsParameter);

    public static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    public static string ParameterName(string segment) => segment[1..^1].Split(':')[0];

    public JsonElement? ParameterSchema(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name && p.In == "path")?.Schema;

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>A tenant's client and the rows the scanner created for it through the API.</summary>
public sealed class ScanTenant(string label, HttpClient client, string marker)
{
    public string Label { get; } = label;
    public HttpClient Client { get; } = client;
    /// <summary>A word in every text field of this tenant's seeded rows, so a leak of any of them is visible.</summary>
    public string Marker { get; } = marker;
    /// <summary>Resource name (the path segment, e.g. "customers") → the id of this tenant's row.</summary>
    public Dictionary<string, string> Ids { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Other values only this tenant may ever see: identifiers, secrets and tokens from its create answers.</summary>
    public HashSet<string> Secrets { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Reads the API's own OpenAPI document and proves, for every tenant endpoint it describes, that tenant B cannot
/// read, change or learn of tenant A's rows: no hand-written list of endpoints, so a new endpoint is scanned
/// the moment it is mapped.
/// <list type="number">
/// <item>Seeds A and B through the document's create operations (POST without path parameters, in the order their
/// bodies' <c>&lt;resource&gt;Id</c> properties need), every text field holding the tenant's marker word. A resource
/// that has a list and a GET by id but no create (the team's users) is seeded with the first row of its list (the
/// caller itself). The scanner should call as each tenant's administrator, who may use every tenant endpoint.</item>
/// <item>Sends every operation with path parameters as B with A's ids (the id of the resource named by the
/// parameter, <c>customerId</c>, or else by the preceding path segment) and a body synthesized from the schema: it
/// must answer 404, exactly like the same request with random ids (status, property names, type, title, detail).</item>
/// <item>Sends every such operation whose body names a parent (<c>customerId</c>) as B on B's own row with A's
/// parent: 404.</item>
/// <item>Sends every create whose body names a parent as B with A's parent: 404, and B's list gains nothing.</item>
/// <item>Calls every list (GET without path parameters) as B, plainly, with <c>search</c> set to A's marker and with
/// id filters set to A's ids: 2xx and none of A's ids or words in the body.</item>
/// <item>Sends every other write without path parameters (a singleton of the caller's tenant: its settings) as B.</item>
/// <item>Finally reads each of A's rows (by id, or in its list when there is no GET by id) and A's singletons (GETs
/// without path parameters answering one object with an id) as A and requires the exact JSON they had before the scan.</item>
/// </list>
/// DELETE operations run last, so a leaking delete cannot hide other findings.
/// </summary>
public sealed class IsolationScanner
{
    /// <summary>
    /// Not tenant data reachable with a tenant's token: the token endpoint, keys, health, the document itself and the
    /// platform operators' API; sign-up and accepting an invitation, which are anonymous and refuse a tenant's token
    /// (they create their own tenant or user: SignUpTests and TeamTests cover them); and /api/me, which describes the
    /// caller's own token, not a tenant resource (MeTests).
    /// </summary>
    public static readonly string[] ExcludedPrefixes =
        ["/connect", "/.well-known", "/health", "/openapi", "/api/platform", "/api/signup", "/api/invitations/accept", "/api/me"];

    /// <summary>Id properties that name a user rather than a resource of their own name (assigneeId → users).</summary>
    private static readonly Dictionary<string, string> UserReferences = new(StringComparer.OrdinalIgnoreCase)
    {
        ["assignee"] = "users", ["owner"] = "users",
    };

    /// <summary>The least privileged scope: a client the scanner registers asks for nothing more.</summary>
    private const string ScanScope = "crm.read";

    private static readonly string[] FreeTextQueryParameters = ["search", "q", "query", "tag", "name", "email"];
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private readonly ScanTenant _a;
    private readonly ScanTenant _b;
    private readonly IReadOnlyCollection<string> _extraSecretsOfA;
    private JsonElement _schemas;

    public IsolationScanner(HttpClient a, HttpClient b, IEnumerable<string>? extraSecretsOfA = null)
    {
        var run = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
        _a = new ScanTenant("A", a, "alpha" + run);
        _b = new ScanTenant("B", b, "bravo" + run);
        _extraSecretsOfA = extraSecretsOfA?.ToList() ?? [];
    }

    public IReadOnlyList<ApiOperation> Operations { get; private set; } = [];

    public async Task<IsolationScanReport> ScanAsync()
    {
        var report = new IsolationScanReport();
        Operations = await LoadOperationsAsync();

        var creates = Operations.Where(o => o.Method == "POST" && !o.HasPathParameters && o.Body is not null).ToList();
        await SeedAsync(_a, creates, report);
        await SeedAsync(_b, creates, report);
        await SeedFromListsAsync(_a, report);
        await SeedFromListsAsync(_b, report);
        foreach (var (resource, id) in _a.Ids)
            report.SeededA[resource] = id;
        foreach (var (resource, id) in _b.Ids)
            report.SeededB[resource] = id;

        var before = await SnapshotAsync(report);

        var byId = Operations.Where(o => o.HasPathParameters)
            .OrderBy(o => o.Method == "DELETE" ? 1 : 0)
            .ThenByDescending(o => o.Segments.Length)
            .ToList();
        foreach (var op in byId.Where(o => o.Method != "DELETE"))
            await CheckByIdAsync(op, report);
        foreach (var op in creates)
            await CheckForeignCreateAsync(op, report);
        foreach (var op in Operations.Where(o => o.Method == "GET" && !o.HasPathParameters))
            await CheckListAsync(op, report);
        foreach (var op in Operations.Where(o => o.Method is not ("GET" or "POST") && !o.HasPathParameters))
            await WriteSingletonAsync(op, report);
        foreach (var op in byId.Where(o => o.Method == "DELETE"))
            await CheckByIdAsync(op, report);

        foreach (var (resource, (url, itemId, json)) in before)
        {
            var (status, text) = await SendAsync(_a.Client, "GET", url, null);
            var after = itemId is null ? text : ItemOf(TryParse(text), itemId) ?? "(not in the list)";
            if (status != HttpStatusCode.OK || after != json)
            {
                report.Violations.Add(new IsolationViolation("GET", url, $"A's {resource} unchanged",
                    $"200 {Snippet(json, 400)}", $"{(int)status} {Snippet(after, 400)}"));
            }
        }
        return report;
    }

    private async Task<IReadOnlyList<ApiOperation>> LoadOperationsAsync()
    {
        var (status, text) = await SendAsync(_a.Client, "GET", "/openapi/v1.json", null);
        if (status != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET /openapi/v1.json answered {(int)status}.");
        var document = JsonDocument.Parse(text).RootElement.Clone();
        _schemas = document.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var schemas)
            ? schemas
            : default;

        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (IsExcluded(path.Name))
                continue;
            var shared = path.Value.TryGetProperty("parameters", out var common) ? Parameters(common) : [];
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                var parameters = shared.Concat(method.Value.TryGetProperty("parameters", out var own) ? Parameters(own) : []).ToList();
                JsonElement? body = method.Value.TryGetProperty("requestBody", out var requestBody)
                                    && requestBody.TryGetProperty("content", out var content)
                                    && content.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } json
                                    && json.Value.TryGetProperty("schema", out var schema)
                    ? schema
                    : null;
                operations.Add(new ApiOperation(method.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }
        return operations;
    }

    public static bool IsExcluded(string path) =>
        ExcludedPrefixes.Any(prefix => path == prefix || path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase));

    private static List<ApiParameter> Parameters(JsonElement list) =>
        list.EnumerateArray()
            .Select(p => new ApiParameter(
                p.GetProperty("name").GetString()!,
                p.GetProperty("in").GetString()!,
                p.TryGetProperty("schema", out var s) ? s : default))
            .ToList();

    // ---- seeding ----

    private async Task SeedAsync(ScanTenant tenant, List<ApiOperation> creates, IsolationScanReport report)
    {
        var creatable = creates.Select(c => c.Segments[^1]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var pending = creates.ToList();
        while (pending.Count > 0)
        {
            // A create whose body names a creatable resource not yet seeded waits for it (a contact for its customer).
            var ready = pending.FirstOrDefault(op =>
                Synthesize(op, tenant, tenant.Marker, creatable).Unresolved.All(r => !pending.Any(p => p.Segments[^1].Equals(r, StringComparison.OrdinalIgnoreCase))))
                ?? pending[0];
            pending.Remove(ready);

            var body = Synthesize(ready, tenant, tenant.Marker, creatable).Body;
            using var request = new HttpRequestMessage(HttpMethod.Post, ready.Path)
            {
                Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            using var response = await tenant.Client.SendAsync(request);
            var status = response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            string? id = null;
            if ((int)status is >= 200 and < 300 && TryParse(text) is { ValueKind: JsonValueKind.Object } created)
            {
                // The id is the answer's own, or that of the one object it wraps (a client with its secret), or the
                // Location's last segment.
                id = created.TryGetProperty("id", out var idProperty) ? idProperty.ToString()
                    : created.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("id", out _))
                        .Select(p => p.Value.GetProperty("id").ToString()).FirstOrDefault()
                    ?? response.Headers.Location?.OriginalString.Split('/')[^1];
                CollectSecrets(created, tenant, 0);
            }
            if (id is null)
            {
                report.Add(ready, $"seed {tenant.Label}", "201 with an id (the scanner cannot cover this resource otherwise)",
                    $"{(int)status} {Snippet(text)} for body {body?.ToJsonString()}");
                continue;
            }
            tenant.Ids[ready.Segments[^1]] = id;
        }
    }

    /// <summary>
    /// Resources with a list and a GET by id but no create operation (the team's users: they join by invitation or
    /// sign-up, both outside a tenant's token) get the first row the tenant's list shows, e.g. the caller itself.
    /// </summary>
    private async Task SeedFromListsAsync(ScanTenant tenant, IsolationScanReport report)
    {
        foreach (var list in Operations.Where(o => o.Method == "GET" && !o.HasPathParameters))
        {
            var resource = list.Segments[^1];
            if (tenant.Ids.ContainsKey(resource) || GetById(resource) is null)
                continue;
            var (status, text) = await SendAsync(tenant.Client, "GET", list.Path, null);
            var first = Items(TryParse(text)).FirstOrDefault(i => i.TryGetProperty("id", out _));
            if ((int)status is < 200 or >= 300 || first.ValueKind != JsonValueKind.Object)
            {
                report.Add(list, $"seed {tenant.Label} from its list", "2xx with a row that has an id", $"{(int)status} {Snippet(text)}");
                continue;
            }
            tenant.Ids[resource] = first.GetProperty("id").ToString();
            CollectSecrets(first, tenant, 0);
        }
    }

    /// <summary>Identifiers, secrets and tokens in a create answer (an <c>id</c>, <c>clientId</c>, <c>clientSecret</c> ...).</summary>
    private static void CollectSecrets(JsonElement element, ScanTenant tenant, int depth)
    {
        if (depth > 2 || element.ValueKind != JsonValueKind.Object)
            return;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object)
                CollectSecrets(property.Value, tenant, depth + 1);
            else if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: >= 8 } value
                     && (name.EndsWith("Id", StringComparison.Ordinal) || name == "id"
                         || name.Contains("secret", StringComparison.OrdinalIgnoreCase) || name.Contains("token", StringComparison.OrdinalIgnoreCase)))
                tenant.Secrets.Add(value);
        }
    }

    private ApiOperation? GetById(string resource) =>
        Operations.FirstOrDefault(o => o.Method == "GET" && o.Segments.Length >= 2
                                       && o.Segments.Count(ApiOperation.IsParameter) == 1
                                       && ApiOperation.IsParameter(o.Segments[^1])
                                       && o.Segments[^2].Equals(resource, StringComparison.OrdinalIgnoreCase));

    /// <summary>A's rows before the scan: resource → (the URL to read it, the row's id when the URL is its list, its JSON).</summary>
    private async Task<Dictionary<string, (string Url, string? ItemId, string Json)>> SnapshotAsync(IsolationScanReport report)
    {
        var snapshots = new Dictionary<string, (string, string?, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (resource, id) in _a.Ids)
        {
            var get = GetById(resource);
            var list = Operations.FirstOrDefault(o => o.Method == "GET" && !o.HasPathParameters
                                                     && o.Segments[^1].Equals(resource, StringComparison.OrdinalIgnoreCase));
            if (get is null && list is not null)
            {
                // No GET by id (pending invitations): the row as the list shows it.
                var (listStatus, listText) = await SendAsync(_a.Client, "GET", list.Path, null);
                if (listStatus != HttpStatusCode.OK || ItemOf(TryParse(listText), id) is not { } item)
                {
                    report.Add(list, "A lists its own row", $"200 with {id}", $"{(int)listStatus} {Snippet(listText)}");
                    continue;
                }
                snapshots[resource] = (list.Path, id, item);
                report.ComparedResources[resource] = $"{list.Path} (item {id})";
                continue;
            }
            if (get is null)
            {
                report.Violations.Add(new IsolationViolation("GET", $"/.../{resource}/{{id}}", "coverage",
                    $"a GET by id for seeded resource '{resource}'", "none in the document"));
                continue;
            }
            var url = "/" + string.Join('/', get.Segments[..^1].Append(id));
            var (status, json) = await SendAsync(_a.Client, "GET", url, null);
            if (status != HttpStatusCode.OK)
            {
                report.Add(get, "A reads its own row", "200", $"{(int)status} {Snippet(json)}");
                continue;
            }
            snapshots[resource] = (url, null, json);
            report.ComparedResources[resource] = url;
        }

        // A's singletons (its tenant's settings): GETs without path parameters that answer one object with an id.
        foreach (var single in Operations.Where(o => o.Method == "GET" && !o.HasPathParameters))
        {
            var (status, json) = await SendAsync(_a.Client, "GET", single.Path, null);
            if (status == HttpStatusCode.OK && TryParse(json) is { ValueKind: JsonValueKind.Object } answer
                && answer.TryGetProperty("id", out _) && !answer.TryGetProperty("items", out _))
            {
                snapshots[single.Path] = (single.Path, null, json);
                report.ComparedResources[single.Path] = single.Path;
            }
        }
        return snapshots;
    }

    // ---- checks ----

    private async Task CheckByIdAsync(ApiOperation op, IsolationScanReport report)
    {
        var (foreignUrl, error) = Fill(op, _a, randomIds: false);
        if (foreignUrl is null)
        {
            report.Add(op, "resolve", "an id of tenant A for every path parameter", error!);
            return;
        }
        var (missingUrl, _) = Fill(op, _a, randomIds: true);
        // The body is valid for B (B's own ids in it: an assignee of B's), so only the path's ids are foreign.
        var ownBody = Synthesize(op, _b, "scan", null).Body;
        var synthesized = Synthesize(op, _a, "scan", null);
        report.ByIdOperations.Add(op.ToString());

        var (foreignStatus, foreignText) = await SendAsync(_b.Client, op.Method, foreignUrl, ownBody);
        var (missingStatus, missingText) = await SendAsync(_b.Client, op.Method, missingUrl!, ownBody);

        if (foreignStatus != HttpStatusCode.NotFound)
            report.Add(op, "A's id as B", "404", $"{(int)foreignStatus} {Snippet(foreignText)}");
        if (foreignStatus != missingStatus)
            report.Add(op, "A's id answers like a missing id", $"status {(int)missingStatus}", $"status {(int)foreignStatus}");

        var foreign = TryParse(foreignText);
        var missing = TryParse(missingText);
        var foreignNames = PropertyNames(foreign);
        var missingNames = PropertyNames(missing);
        if (foreignNames != missingNames)
            report.Add(op, "A's id answers like a missing id", $"properties [{missingNames}]", $"properties [{foreignNames}]");
        foreach (var field in new[] { "type", "title", "detail" })
        {
            var f = Field(foreign, field);
            var m = Field(missing, field);
            if (f != m)
                report.Add(op, "A's id answers like a missing id", $"{field} '{m}'", $"{field} '{f}'");
        }

        // The same operation on B's own row, with A's parent in the body (re-linking B's contact to A's customer).
        if (synthesized.ParentRefs.Count > 0)
        {
            var (ownUrl, ownError) = Fill(op, _b, randomIds: false);
            if (ownUrl is null)
            {
                report.Add(op, "cross-link", "an id of tenant B for every path parameter", ownError!);
                return;
            }
            report.CrossLinkOperations.Add(op.ToString());
            var (status, text) = await SendAsync(_b.Client, op.Method, ownUrl, synthesized.Body);
            if (status != HttpStatusCode.NotFound && !NamesUserReference(status, text, synthesized.ParentRefs))
            {
                report.Add(op, $"B's row with A's {string.Join(", ", synthesized.ParentRefs)}", "404", $"{(int)status} {Snippet(text)}");
            }
        }
    }

    private async Task CheckForeignCreateAsync(ApiOperation op, IsolationScanReport report)
    {
        var synthesized = Synthesize(op, _a, "scan", null);
        if (synthesized.ParentRefs.Count == 0)
            return;
        report.ForeignCreates.Add(op.ToString());

        var list = Operations.FirstOrDefault(o => o.Method == "GET" && o.Path == op.Path);
        (HttpStatusCode Status, string Text)? before = list is null ? null : await SendAsync(_b.Client, "GET", op.Path, null);

        var (status, text) = await SendAsync(_b.Client, "POST", op.Path, synthesized.Body);
        if (status != HttpStatusCode.NotFound)
            report.Add(op, $"create as B with A's {string.Join(", ", synthesized.ParentRefs)}", "404", $"{(int)status} {Snippet(text)}");

        if (list is null || before is null)
            return;
        var (afterStatus, afterText) = await SendAsync(_b.Client, "GET", op.Path, null);
        var leaked = LeakedSecrets(afterText);
        if (leaked.Count > 0)
            report.Add(list, "B's list after a foreign create", "no row referencing A", $"contains {string.Join(", ", leaked)}");
        var countBefore = Field(TryParse(before.Value.Text), "totalCount");
        var countAfter = Field(TryParse(afterText), "totalCount");
        if (afterStatus != before.Value.Status || countBefore != countAfter)
        {
            report.Add(list, "B's list after a foreign create", $"{(int)before.Value.Status} totalCount {countBefore}",
                $"{(int)afterStatus} totalCount {countAfter}");
        }
    }

    private async Task CheckListAsync(ApiOperation op, IsolationScanReport report)
    {
        report.ListOperations.Add(op.ToString());
        var queries = new List<string> { "", $"?search={Uri.EscapeDataString(_a.Marker)}" };
        foreach (var parameter in op.Parameters.Where(p => p.In == "query"))
        {
            if (parameter.Name == "search")
                continue;
            if (IsUuid(parameter.Schema) && ResourceForIdName(parameter.Name, _a.Ids.Keys) is { } resource)
                queries.Add($"?{parameter.Name}={_a.Ids[resource]}");
            else if (FreeTextQueryParameters.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                queries.Add($"?{parameter.Name}={Uri.EscapeDataString(_a.Marker)}");
        }

        foreach (var query in queries)
        {
            report.ListRequests++;
            var (status, text) = await SendAsync(_b.Client, "GET", op.Path + query, null);
            if ((int)status is < 200 or >= 300)
            {
                report.Violations.Add(new IsolationViolation(op.Method, op.Path + query, "list as B", "2xx", $"{(int)status} {Snippet(text)}"));
                continue;
            }
            var leaked = LeakedSecrets(text);
            if (leaked.Count > 0)
                report.Violations.Add(new IsolationViolation(op.Method, op.Path + query, "list as B", "none of A's ids or words", $"contains {string.Join(", ", leaked)}"));

            // Sanity: the plain list of a seeded resource shows B's own row, so "no A rows" is not just "no rows".
            if (query.Length == 0 && _b.Ids.TryGetValue(op.Segments[^1], out var own) && !text.Contains(own, StringComparison.OrdinalIgnoreCase))
                report.Violations.Add(new IsolationViolation(op.Method, op.Path, "list as B shows B's own row", own, Snippet(text)));
        }
    }

    /// <summary>
    /// A write to B's own singleton (its tenant's settings, to the schema's last enum values so it is a real change):
    /// never a 5xx, and A's singletons are compared at the end.
    /// </summary>
    private async Task WriteSingletonAsync(ApiOperation op, IsolationScanReport report)
    {
        report.SingletonWrites.Add(op.ToString());
        var body = Synthesize(op, _b, _b.Marker, null, lastEnum: true).Body;
        var (status, text) = await SendAsync(_b.Client, op.Method, op.Path, body);
        if ((int)status >= 500)
            report.Add(op, "B writes its own singleton", "not a 5xx", $"{(int)status} {Snippet(text)}");
    }

    /// <summary>A user of another tenant as assignee is bad input (400 naming the field), which is as good as a 404.</summary>
    private static bool NamesUserReference(HttpStatusCode status, string text, IEnumerable<string> refs) =>
        status == HttpStatusCode.BadRequest
        && refs.All(r => r.Length > 2 && UserReferences.ContainsKey(r[..^2]))
        && TryParse(text) is { ValueKind: JsonValueKind.Object } problem
        && problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
        && refs.Any(r => errors.TryGetProperty(r, out _));

    private static IEnumerable<JsonElement> Items(JsonElement? list) => list switch
    {
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray(),
        { ValueKind: JsonValueKind.Object } page when page.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array =>
            items.EnumerateArray(),
        _ => [],
    };

    private static string? ItemOf(JsonElement? list, string id) =>
        Items(list).Where(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("id", out var value) && value.ToString() == id)
            .Select(i => i.GetRawText()).FirstOrDefault();

    private List<string> LeakedSecrets(string text)
    {
        var secrets = _a.Ids.Values.Concat(_a.Secrets).Append(_a.Marker).Concat(_extraSecretsOfA);
        return secrets.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    // ---- request building ----

    /// <summary>The URL with the tenant's ids (or random ones) in the id parameters and its marker in the others.</summary>
    private static (string? Url, string? Error) Fill(ApiOperation op, ScanTenant tenant, bool randomIds)
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
            var resource = ResourceForIdName(name, tenant.Ids.Keys)
                           ?? (i > 0 ? ResourceForSegment(op.Segments[i - 1], tenant.Ids.Keys) : null);
            if (resource is null)
                return (null, $"no seeded resource of {tenant.Label} for '{{{name}}}' (seeded: {string.Join(", ", tenant.Ids.Keys)})");
            parts.Add(tenant.Ids[resource]);
        }
        return ("/" + string.Join('/', parts), null);
    }

    /// <summary>customerId → customers (also -es, -ies and kebab-case plurals), among the given resource names.</summary>
    public static string? ResourceForIdName(string name, IEnumerable<string> resources)
    {
        if (name.Length <= 2 || !name.EndsWith("Id", StringComparison.Ordinal))
            return null;
        var stem = name[..^2];
        if (UserReferences.TryGetValue(stem, out var alias))
            return resources.FirstOrDefault(r => r.Equals(alias, StringComparison.OrdinalIgnoreCase));
        var kebab = string.Concat(stem.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        var candidates = new[] { stem, kebab }
            .SelectMany(s => new[] { s + "s", s + "es", s.EndsWith('y') ? s[..^1] + "ies" : s, s })
            .ToList();
        return resources.FirstOrDefault(r => candidates.Contains(r, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The resource a path segment names: itself, or one it ends with (leaky-customers → customers).</summary>
    public static string? ResourceForSegment(string segment, IEnumerable<string> resources)
    {
        var list = resources.ToList();
        return list.FirstOrDefault(r => r.Equals(segment, StringComparison.OrdinalIgnoreCase))
               ?? list.OrderByDescending(r => r.Length).FirstOrDefault(r =>
                   segment.EndsWith("-" + r, StringComparison.OrdinalIgnoreCase) || segment.EndsWith("_" + r, StringComparison.OrdinalIgnoreCase));
    }

    private sealed record Synthesized(JsonNode? Body, List<string> ParentRefs, List<string> Unresolved, bool LastEnum = false);

    /// <summary>
    /// A body for the operation from its schema: text fields get <paramref name="text"/> (shaped as an e-mail or URL
    /// when the name says so), <c>&lt;resource&gt;Id</c> uuids the tenant's id of that resource, other uuids a new
    /// Guid, enums their first value, nullable and oneOf their non-null branch, arrays one element.
    /// </summary>
    private Synthesized Synthesize(ApiOperation op, ScanTenant tenant, string text, IReadOnlySet<string>? creatable, bool lastEnum = false)
    {
        var result = new Synthesized(null, [], [], lastEnum);
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

    private static JsonNode StringValue(string? name, JsonElement schema, ScanTenant tenant, string text, IReadOnlySet<string>? creatable, Synthesized result)
    {
        var format = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var lower = name?.ToLowerInvariant() ?? "";
        switch (format)
        {
            case "uuid":
                if (name is not null && ResourceForIdName(name, tenant.Ids.Keys) is { } resource)
                {
                    result.ParentRefs.Add(name);
                    return JsonValue.Create(tenant.Ids[resource]);
                }
                if (name is not null && creatable is not null && ResourceForIdName(name, creatable) is { } missing)
                    result.Unresolved.Add(missing);
                return JsonValue.Create(Guid.NewGuid().ToString());
            case "date":
                return JsonValue.Create("2026-01-01");
            case "date-time":
                return JsonValue.Create("2026-01-01T00:00:00Z");
            case "email":
                return JsonValue.Create($"{text}@example.com");
            case "uri" or "url":
                return JsonValue.Create($"https://{text}.example");
        }
        if (lower.Contains("email", StringComparison.Ordinal))
            return JsonValue.Create($"{text}@example.com");
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
            if (_schemas.ValueKind != JsonValueKind.Object || !_schemas.TryGetProperty(name, out schema))
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

    private static bool IsUuid(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var format) && format.GetString() == "uuid";

    private static string Singular(string name) =>
        name.EndsWith("ies", StringComparison.Ordinal) ? name[..^3] + "y" : name.EndsWith('s') ? name[..^1] : name;

    // ---- HTTP and JSON helpers ----

    private static async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpClient client, string method, string url, JsonNode? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string PropertyNames(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } e ? string.Join(",", e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)) : "(not a JSON object)";

    private static string? Field(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static string Snippet(string text, int max = 200) =>
        text.Length <= max ? text : text[..max] + "…";
}
