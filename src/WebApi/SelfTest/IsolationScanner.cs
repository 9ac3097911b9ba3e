using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmTenancy.WebApi.SelfTest;

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
    private static readonly string[] FreeTextQueryParameters = ["search", "q", "query", "tag", "name", "email"];

    private readonly ScanTenant _a;
    private readonly ScanTenant _b;
    private readonly IReadOnlyCollection<string> _extraSecretsOfA;
    private RequestSynthesizer _requests = new(default);

    /// <summary>A's nested resources (a campaign's targets): resource → the URL of the list its seeded row is in.</summary>
    private readonly Dictionary<string, string> _nestedListsOfA = new(StringComparer.OrdinalIgnoreCase);

    private readonly Func<HttpClient, Task>? _afterCreates;

    /// <param name="afterCreates">
    /// Run for each tenant after its creates, before its list-only resources are seeded again: rows that background work
    /// makes from created ones (a workflow's executions, after a lead is captured) exist by then.
    /// </param>
    public IsolationScanner(HttpClient a, HttpClient b, IEnumerable<string>? extraSecretsOfA = null, Func<HttpClient, Task>? afterCreates = null)
    {
        _afterCreates = afterCreates;
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
        // Rows without a create first (the team's users), so a create that names one (a campaign's audience owner)
        // names the tenant's own.
        await SeedFromListsAsync(_a, creates, null);
        await SeedFromListsAsync(_b, creates, null);
        await SeedAsync(_a, creates, report);
        await SeedAsync(_b, creates, report);
        await SeedNestedAsync(_a, report);
        await SeedNestedAsync(_b, report);
        // Rows that only background work makes (from the rows just created) are listed now; what is still missing is reported.
        foreach (var tenant in new[] { _a, _b })
        {
            if (_afterCreates is not null)
                await _afterCreates(tenant.Client);
            await SeedFromListsAsync(tenant, creates, report);
        }
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
        var (operations, schemas) = OpenApiReader.Read(JsonDocument.Parse(text).RootElement.Clone());
        _requests = new RequestSynthesizer(schemas);
        return operations;
    }

    // ---- seeding ----

    private async Task SeedAsync(ScanTenant tenant, List<ApiOperation> creates, IsolationScanReport report)
    {
        var creatable = creates.Select(c => c.Segments[^1]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var pending = creates.ToList();
        while (pending.Count > 0)
        {
            // A create whose body names a creatable resource not yet seeded waits for it (a contact for its customer).
            var ready = pending.FirstOrDefault(op =>
                _requests.Synthesize(op, tenant, tenant.Marker, creatable).Unresolved.All(r => !pending.Any(p => p.Segments[^1].Equals(r, StringComparison.OrdinalIgnoreCase))))
                ?? pending[0];
            pending.Remove(ready);

            var body = _requests.Synthesize(ready, tenant, tenant.Marker, creatable).Body;
            using var request = new HttpRequestMessage(HttpMethod.Post, ready.Path)
            {
                Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            using var response = await tenant.Client.SendAsync(request);
            var status = response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            // An operation for another kind of caller (lead capture: a crm.capture client's only) refuses this caller's
            // token for its scope; it reaches nothing of the tenant's for this caller, and the scan goes on without it.
            if (status == HttpStatusCode.Forbidden && IsScopeRefusal(text))
                continue;
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
    private async Task SeedFromListsAsync(ScanTenant tenant, List<ApiOperation> creates, IsolationScanReport? report)
    {
        foreach (var list in Operations.Where(o => o.Method == "GET" && !o.HasPathParameters))
        {
            var resource = list.Segments[^1];
            if (tenant.Ids.ContainsKey(resource) || GetById(resource) is null
                || creates.Any(c => c.Segments[^1].Equals(resource, StringComparison.OrdinalIgnoreCase)))
                continue;
            var (status, text) = await SendAsync(tenant.Client, "GET", list.Path, null);
            var first = Items(TryParse(text)).FirstOrDefault(i => i.TryGetProperty("id", out _));
            if ((int)status is < 200 or >= 300 || first.ValueKind != JsonValueKind.Object)
            {
                report?.Add(list, $"seed {tenant.Label} from its list", "2xx with a row that has an id", $"{(int)status} {Snippet(text)}");
                continue;
            }
            tenant.Ids[resource] = first.GetProperty("id").ToString();
            CollectSecrets(first, tenant, 0);
        }
    }

    /// <summary>
    /// Resources that live under another and are addressed by an id of their own (a campaign's targets: POST and GET
    /// /api/campaigns/{id}/targets, DELETE /api/campaigns/{id}/targets/{targetId}): added under the tenant's own parent
    /// with a body of its own ids, then the first row of the nested list is the seeded one.
    /// </summary>
    private async Task SeedNestedAsync(ScanTenant tenant, IsolationScanReport report)
    {
        foreach (var add in Operations.Where(o => o.Method == "POST" && o.HasPathParameters && !ApiOperation.IsParameter(o.Segments[^1])))
        {
            var resource = add.Segments[^1];
            var addressed = Operations.Any(o => o.Segments.Length == add.Segments.Length + 1 && o.Path.StartsWith(add.Path + "/", StringComparison.Ordinal)
                                                && ApiOperation.IsParameter(o.Segments[^1]) && ApiOperation.ParameterName(o.Segments[^1]).EndsWith("Id", StringComparison.Ordinal));
            if (tenant.Ids.ContainsKey(resource) || !addressed || !Operations.Any(o => o.Method == "GET" && o.Path == add.Path))
                continue;
            var (url, error) = RequestSynthesizer.Fill(add, tenant, randomIds: false);
            if (url is null)
            {
                report.Add(add, $"seed {tenant.Label} nested", "an id of the tenant for every path parameter", error!);
                continue;
            }
            var (status, text) = await SendAsync(tenant.Client, "POST", url, _requests.Synthesize(add, tenant, tenant.Marker, null).Body);
            var (listStatus, listText) = await SendAsync(tenant.Client, "GET", url, null);
            var first = Items(TryParse(listText)).FirstOrDefault(i => i.TryGetProperty("id", out _));
            if ((int)status is < 200 or >= 300 || listStatus != HttpStatusCode.OK || first.ValueKind != JsonValueKind.Object)
            {
                report.Add(add, $"seed {tenant.Label} nested", "2xx, then a row with an id in the nested list",
                    $"{(int)status} {Snippet(text)}; list {(int)listStatus} {Snippet(listText)}");
                continue;
            }
            tenant.Ids[resource] = first.GetProperty("id").ToString();
            if (tenant == _a)
                _nestedListsOfA[resource] = url;
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
            if (_nestedListsOfA.TryGetValue(resource, out var nestedList))
            {
                var (nestedStatus, nestedText) = await SendAsync(_a.Client, "GET", nestedList, null);
                if (nestedStatus == HttpStatusCode.OK && ItemOf(TryParse(nestedText), id) is { } row)
                {
                    snapshots[resource] = (nestedList, id, row);
                    report.ComparedResources[resource] = $"{nestedList} (item {id})";
                }
                else
                {
                    report.Violations.Add(new IsolationViolation("GET", nestedList, "A lists its own nested row", $"200 with {id}", $"{(int)nestedStatus} {Snippet(nestedText)}"));
                }
                continue;
            }
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
        var (foreignUrl, error) = RequestSynthesizer.Fill(op, _a, randomIds: false);
        if (foreignUrl is null)
        {
            report.Add(op, "resolve", "an id of tenant A for every path parameter", error!);
            return;
        }
        var (missingUrl, _) = RequestSynthesizer.Fill(op, _a, randomIds: true);
        // The body is valid for B (B's own ids in it: an assignee of B's), so only the path's ids are foreign.
        var ownBody = _requests.Synthesize(op, _b, "scan", null).Body;
        var synthesized = _requests.Synthesize(op, _a, "scan", null);
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
            var (ownUrl, ownError) = RequestSynthesizer.Fill(op, _b, randomIds: false);
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

    private static bool IsScopeRefusal(string problem) => problem.Contains("/insufficient-scope\"", StringComparison.Ordinal);

    private async Task CheckForeignCreateAsync(ApiOperation op, IsolationScanReport report)
    {
        var synthesized = _requests.Synthesize(op, _a, "scan", null);
        if (synthesized.ParentRefs.Count == 0)
            return;
        report.ForeignCreates.Add(op.ToString());

        var list = Operations.FirstOrDefault(o => o.Method == "GET" && o.Path == op.Path);
        (HttpStatusCode Status, string Text)? before = list is null ? null : await SendAsync(_b.Client, "GET", op.Path, null);

        var (status, text) = await SendAsync(_b.Client, "POST", op.Path, synthesized.Body);
        // As in seeding: an operation for another kind of caller refuses this one's token for its scope before it reads
        // anything (lead capture with a user's token); nothing was created.
        var refusedScope = status == HttpStatusCode.Forbidden && IsScopeRefusal(text);
        if (status != HttpStatusCode.NotFound && !refusedScope)
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
            if (RequestSynthesizer.IsUuid(parameter.Schema) && ResourceNames.ResourceForIdName(parameter.Name, _a.Ids.Keys) is { } resource)
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
        var body = _requests.Synthesize(op, _b, _b.Marker, null, lastEnum: true).Body;
        var (status, text) = await SendAsync(_b.Client, op.Method, op.Path, body);
        if ((int)status >= 500)
            report.Add(op, "B writes its own singleton", "not a 5xx", $"{(int)status} {Snippet(text)}");
    }

    /// <summary>A user of another tenant as assignee is bad input (400 naming the field), which is as good as a 404.</summary>
    private static bool NamesUserReference(HttpStatusCode status, string text, IEnumerable<string> refs) =>
        status == HttpStatusCode.BadRequest
        && refs.All(ResourceNames.IsUserReference)
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
