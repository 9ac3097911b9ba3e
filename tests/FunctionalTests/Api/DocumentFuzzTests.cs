using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.WebApi.SelfTest;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// A fuzz test driven by the API's own OpenAPI document: every tenant operation it describes is sent malformed
/// requests (invalid and truncated JSON, wrong types, nulls, missing and unknown fields, 1 MB strings, nesting 10,000
/// deep, number and unicode edge cases, invalid UTF-8, wrong content types; malformed ids, query values and If-Match
/// and Accept headers), aimed at real rows of the caller's tenant. It proves that none gets a 5xx, that every 4xx is a
/// problem document (<c>application/problem+json</c>), that no malformed write is accepted, and that no refused request
/// changes a row: a digest of every tenant table is taken before and after. Bounded (a fixed list of mutations per
/// operation) and deterministic (a fixed seed).
/// </summary>
public sealed class DocumentFuzzTests(ApiFactory factory) : ApiTest(factory)
{
    private const int Seed = 20261130;
    private const int Depth = 10_000;
    private const int MinimumRequests = 1_000;
    private const string Marker = "fuzzmarker";
    private const string ProblemJson = "application/problem+json";

    /// <summary>A field no request body of this API has: a body carrying it is refused as a whole (400).</summary>
    private const string UnknownField = "zzUnknown";

    /// <summary>An If-Match value that is not an ETag of this API: a write carrying it is refused (400) before it changes anything.</summary>
    private const string MalformedTag = "\"abc\"";

    /// <summary>Stands in a body's text for raw JSON the node model cannot hold (1e309, a lone surrogate, NaN).</summary>
    private const string Placeholder = "__fuzz_value__";
    private const string QuotedPlaceholder = $"\"{Placeholder}\"";

    /// <summary>
    /// Written by the bookkeeping of accepted requests (the seeding) or by reads, not by the refused requests; the
    /// dashboard's tallies are derived from customers, leads and activities (digested themselves) and refolded in the
    /// background at any moment; the change feed is written by an outbox consumer from the seeding's messages, whenever
    /// the dispatcher gets to them.
    /// </summary>
    private static readonly string[] ExcludedTables = ["idempotency_records", "outbox_messages", "outbox_deliveries", "platform_access_records",
        "customer_tallies", "lead_tallies", "activity_tallies", "change_events"];

    /// <summary>
    /// Columns the outbox dispatcher advances in the background for messages of the seeding (table.column): the tenant
    /// row itself is digested too (its settings are written by a tenant operation), but not its outbox sequence.
    /// </summary>
    private static readonly string[] ExcludedColumns = ["tenants.outbox_sequence"];

    private static readonly string[] IfMatchValues = [MalformedTag, "W/\"1\"", "\"1\" \"2\"", "*"];
    private static readonly string[] AcceptValues = ["text/html", "application/xml", "*/*;q=0"];

    private static readonly string[] QueryValues =
    [
        "page=-1", "page=abc", "pageSize=100000", "page=%201", "page=2147483647", "page=99999999999999999999",
        "search=%00", "search=%ED%A0%80", "sort=zzz", UnknownField + "=1",
    ];

    /// <summary>
    /// Raw JSON values put into each property in turn. <c>MaybeValid</c>: the value may be acceptable in some field (an
    /// emoji in a note, -0 in an amount), so it is sent together with the unknown field, see <see cref="Value"/>.
    /// </summary>
    private static readonly (string Name, string Json, bool MaybeValid)[] EdgeValues =
    [
        ("1e309", "1e309", true),
        ("-0", "-0", true),
        ("1.7976931348623157e309", "1.7976931348623157e309", true),
        ("29 nines", "99999999999999999999999999999", true),
        ("0.1e-400", "0.1e-400", true),
        ("2^53 + 1", "9007199254740993", true),
        ("NaN", "NaN", false),
        ("lone high surrogate", "\"\\uD800\"", true),
        ("lone low surrogate", "\"\\uDC00\"", true),
        ("NUL", "\"\\u0000\"", false),
        ("bidi override", "\"\\u202E\"", true),
        ("noncharacter U+FFFF", "\"\\uFFFF\"", true),
        ("emoji", "\"\U0001F600\"", true),
    ];

    /// <summary>One malformed request to an operation; its content is built afresh when it is sent.</summary>
    private sealed record Fuzz(
        string Name,
        string Url,
        Func<HttpContent?> Content,
        IReadOnlyList<(string Header, string Value)> Headers,
        int[]? Statuses = null);

    [Fact]
    public async Task Malformed_requests_to_every_documented_operation_get_problem_details_and_change_nothing()
    {
        var (user, client) = await UserAsync(TenantA, "fuzz-admin@a.example", UserRole.TenantAdmin);
        using var admin = client;
        var document = await Json(await admin.GetAsync("/openapi/v1.json"));
        var (operations, schemas) = OpenApiReader.Read(document);
        var synthesizer = new RequestSynthesizer(schemas);
        var tenant = await SeedAsync(admin, user.Id);
        var random = new Random(Seed);
        var longText = RandomText(random, 300);

        var before = await DigestAsync();
        Assert.True(before.ContainsKey("customers"), $"no digest of customers, only of: {string.Join(", ", before.Keys)}");

        var failures = new List<string>();
        var classes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var sent = 0;
        foreach (var op in operations)
        {
            foreach (var fuzz in Mutations(op, tenant, synthesizer, random, longText))
            {
                var (statusClass, failure) = await SendAsync(admin, op, fuzz);
                sent++;
                classes[statusClass] = classes.GetValueOrDefault(statusClass) + 1;
                if (failure is not null)
                    failures.Add(failure);
            }
        }

        var after = await DigestAsync();
        var changed = before.Keys.Union(after.Keys)
            .Where(table => before.GetValueOrDefault(table) != after.GetValueOrDefault(table))
            .Select(table => $"rows of {table} changed while only malformed requests were sent")
            .ToList();
        failures.InsertRange(0, changed);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{sent} malformed requests to {operations.Count} operations; by status class: "
            + string.Join(", ", classes.Select(c => $"{c.Key} {c.Value}")) + $"; {failures.Count} failures");
        Assert.True(sent >= MinimumRequests, $"only {sent} requests were sent (at least {MinimumRequests} expected): the document or the mutations shrank");
        Assert.True(failures.Count == 0,
            $"{failures.Count} failures among {sent} malformed requests (first 40):{Environment.NewLine}"
            + string.Join(Environment.NewLine, failures.Take(40)));
    }

    /// <summary>
    /// A customer (with the marker as a tag), a contact of it, an invitation and a client, registered under their
    /// resource names with the administrator's own id under "users", so path parameters name real rows.
    /// </summary>
    private static async Task<ScanTenant> SeedAsync(HttpClient admin, Guid userId)
    {
        var tenant = new ScanTenant("A", admin, Marker);
        var customerId = (await CreateCustomerAsync(admin, new { name = "Fuzz target", tags = new[] { Marker } })).GetProperty("id").GetString()!;
        tenant.Ids["customers"] = customerId;
        tenant.Ids["contacts"] = (await CreateContactAsync(admin, new { firstName = "Fuzz", lastName = "Target", customerId }))
            .GetProperty("id").GetString()!;
        tenant.Ids["users"] = userId.ToString();
        using (var invited = await admin.PostAsJsonAsync("/api/team/invitations", new { email = "fuzz-invitee@a.example", role = "member" }))
        {
            Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
            tenant.Ids["invitations"] = (await Json(invited)).GetProperty("id").GetString()!;
        }
        using (var registered = await admin.PostAsJsonAsync("/api/clients", new { name = "Fuzz target", scopes = new[] { "crm.read" } }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            tenant.Ids["clients"] = (await Json(registered)).GetProperty("client").GetProperty("id").GetString()!;
        }
        return tenant;
    }

    /// <summary>
    /// The malformed requests for one operation. Every one sent to a write (PUT, POST, DELETE) is meant to be refused,
    /// so a 2xx to any of them is a failure and the digest must not move:
    /// <list type="bullet">
    /// <item>the valid body is never sent unmutated to a write, except with a malformed id (no row has it, or no route
    /// matches) or a wrong Content-Type (refused before the body is read);</item>
    /// <item>header mutations of a write travel with a body that is not JSON, or, for a write without a body, with a
    /// malformed If-Match (<c>*</c>, "any version", is left out there: it would let the write through);</item>
    /// <item>values that may be acceptable in some field (nulls, left-out properties, number and unicode edge cases)
    /// travel with an unknown field, see <see cref="Value"/>.</item>
    /// </list>
    /// </summary>
    private static List<Fuzz> Mutations(ApiOperation op, ScanTenant tenant, RequestSynthesizer synthesizer, Random random, string longText)
    {
        // The seeded rows' ids, so the malformed requests reach real rows; random ids only where nothing was seeded.
        var url = RequestSynthesizer.Fill(op, tenant, randomIds: false).Url
                  ?? RequestSynthesizer.Fill(op, tenant, randomIds: true).Url
                  ?? throw new InvalidOperationException($"{op}: its path cannot be filled.");
        var body = synthesizer.Synthesize(op, tenant, tenant.Marker, creatable: null).Body;
        var isWrite = op.Method != "GET";

        var fuzz = new List<Fuzz>();
        if (body is not null)
            fuzz.AddRange(BodyMutations(op, url, body, random));
        fuzz.AddRange(HeaderMutations(url, isWrite, hasBody: body is not null));
        if (op.HasPathParameters)
        {
            Func<HttpContent?> content = NoBody;
            if (body?.ToJsonString() is { } valid)
                content = () => RawJson(valid);
            fuzz.AddRange(IdMutations(op, url, content, longText));
        }
        else if (!isWrite)
        {
            fuzz.AddRange(QueryValues.Append("search=" + longText)
                .Select(query => new Fuzz($"query {Shorten(query, 40)}", $"{url}?{query}", NoBody, [])));
        }
        return fuzz;
    }

    private static List<Fuzz> BodyMutations(ApiOperation op, string url, JsonNode body, Random random)
    {
        var valid = body.ToJsonString();
        var fuzz = new List<Fuzz>
        {
            Text("empty body", url, ""),
            Text("open brace", url, "{"),
            Text("array", url, "[]"),
            Text("null", url, "null"),
            Text("string", url, "\"text\""),
            Text("number", url, "42"),
            Text($"objects nested {Depth} deep", url, string.Concat(Enumerable.Repeat("{\"a\":", Depth)) + "1" + new string('}', Depth)),
            Text($"arrays nested {Depth} deep", url, new string('[', Depth) + new string(']', Depth)),
            new("invalid UTF-8", url, () => Utf8Bytes([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]), []),
            new("Content-Type text/plain", url, () => WithContentType(valid, "text/plain"), []),
            new("Content-Type application/xml", url, () => WithContentType(valid, "application/xml"), []),
            new("Content-Type with an unknown charset", url, () => WithContentType(valid, "application/json; charset=nonsense"), []),
            new("no Content-Type", url, () => WithContentType(valid, null), []),
        };
        // A proper prefix of a JSON document is never a JSON document.
        if (valid.Length > 1)
        {
            for (var i = 0; i < 3; i++)
            {
                var cut = random.Next(1, valid.Length);
                fuzz.Add(Text($"truncated to {cut} of {valid.Length} characters", url, valid[..cut]));
            }
        }
        if (body is not JsonObject obj)
            return fuzz;

        fuzz.Add(Text("unknown field", url, Edit(obj, o => o[UnknownField] = 1)));
        var target = obj.Where(p => p.Value?.GetValueKind() == JsonValueKind.String).Select(p => p.Key).FirstOrDefault()
                     ?? obj.Select(p => p.Key).FirstOrDefault()
                     ?? UnknownField;
        fuzz.Add(Text($"{target}: 1 MB string", url, Edit(obj, o => o[target] = new string('x', 1 << 20)))
            with { Statuses = new[] { (int)HttpStatusCode.RequestEntityTooLarge, (int)HttpStatusCode.BadRequest } });

        foreach (var (property, value) in obj.ToList())
        {
            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            // Each replacement has another JSON type than the synthesized value; for a null one the type is unknown.
            var unknownType = kind == JsonValueKind.Null;
            fuzz.Add(Value(url, obj, property, "wrong type", kind == JsonValueKind.String ? "42" : "\"zz-not-a-value\"", unknownType));
            fuzz.Add(Value(url, obj, property, "object", kind == JsonValueKind.Object ? $"{{\"{UnknownField}\":1}}" : "{}", unknownType));
            fuzz.Add(Value(url, obj, property, "array", kind == JsonValueKind.Array ? "[[]]" : "[]", unknownType));
            fuzz.Add(Value(url, obj, property, "null", "null", maybeValid: true));
            foreach (var (name, json, maybeValid) in EdgeValues)
                fuzz.Add(Value(url, obj, property, name, json, maybeValid));
            fuzz.Add(InvalidUtf8In(url, obj, property));
            // A PUT is a whole replacement: a left-out property is refused or reset, never kept.
            if (op.Method == "PUT")
            {
                fuzz.Add(Text($"{property}: left out + unknown field", url, Edit(obj, o =>
                {
                    o.Remove(property);
                    o[UnknownField] = 1;
                })));
            }
        }
        return fuzz;
    }

    private static IEnumerable<Fuzz> HeaderMutations(string url, bool isWrite, bool hasBody)
    {
        Func<HttpContent?> content = NoBody;
        if (isWrite && hasBody)
            content = () => RawJson("{");
        var guarded = isWrite && !hasBody;
        foreach (var tag in IfMatchValues.Where(value => !guarded || value != "*"))
            yield return new Fuzz($"If-Match {tag}", url, content, [("If-Match", tag)]);
        foreach (var accept in AcceptValues)
        {
            var headers = new List<(string Header, string Value)> { ("Accept", accept) };
            if (guarded)
                headers.Add(("If-Match", MalformedTag));
            yield return new Fuzz($"Accept {accept}{(guarded ? " + malformed If-Match" : "")}", url, content, headers);
        }
    }

    /// <summary>Each id parameter of the path in turn replaced by a value that names no row.</summary>
    private static IEnumerable<Fuzz> IdMutations(ApiOperation op, string url, Func<HttpContent?> content, string longText)
    {
        (string Name, string Segment)[] values =
        [
            ("not-a-guid", "not-a-guid"),
            ("empty guid", "00000000-0000-0000-0000-000000000000"),
            // NUL itself cannot be sent: the in-memory client refuses it before the request exists, as Kestrel refuses
            // it on a socket (400). Another control character reaches the API's own check.
            ("control character", "%01"),
            ("300 characters", longText),
            ("dot-dot-slash", "..%2F.."),
        ];
        var parts = url.TrimStart('/').Split('/');
        for (var i = 0; i < op.Segments.Length && i < parts.Length; i++)
        {
            if (!ApiOperation.IsParameter(op.Segments[i]) || !IsId(op, ApiOperation.ParameterName(op.Segments[i])))
                continue;
            foreach (var (name, segment) in values)
            {
                var mutated = parts.ToArray();
                mutated[i] = segment;
                yield return new Fuzz($"{op.Segments[i]} {name}", "/" + string.Join('/', mutated), content, []);
            }
        }
    }

    /// <summary>Whether a path parameter is an id, as <see cref="RequestSynthesizer.Fill"/> decides it.</summary>
    private static bool IsId(ApiOperation op, string name) =>
        (op.ParameterSchema(name) is { } schema && RequestSynthesizer.IsUuid(schema))
        || name.Equals("id", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Id", StringComparison.Ordinal);

    /// <summary>
    /// The body with one property's value replaced by raw JSON. A value that may be acceptable there (a null, an emoji
    /// in a free-text field, -0 in an amount) travels with <see cref="UnknownField"/> after it: the API refuses a body
    /// with an unknown field as a whole (400), so the request cannot change anything, while the value is still read
    /// (and converted) before the unknown field is reached. Every mutation sent to a write must then be refused, and a
    /// 2xx to any of them is a failure.
    /// </summary>
    private static Fuzz Value(string url, JsonObject body, string property, string what, string json, bool maybeValid) =>
        Text(maybeValid ? $"{property}: {what} + unknown field" : $"{property}: {what}", url,
            WithPlaceholder(body, property, maybeValid).Replace(QuotedPlaceholder, json, StringComparison.Ordinal));

    /// <summary>The body with a string of invalid UTF-8 bytes (0xC3 0x28) in one property, and the unknown field after it.</summary>
    private static Fuzz InvalidUtf8In(string url, JsonObject body, string property)
    {
        var text = WithPlaceholder(body, property, refuseAsWhole: true);
        var at = text.IndexOf(QuotedPlaceholder, StringComparison.Ordinal);
        byte[] bytes =
        [
            .. Encoding.UTF8.GetBytes(text[..at]),
            0x22, 0xC3, 0x28, 0x22,
            .. Encoding.UTF8.GetBytes(text[(at + QuotedPlaceholder.Length)..]),
        ];
        return new Fuzz($"{property}: invalid UTF-8 + unknown field", url, () => Utf8Bytes(bytes), []);
    }

    private static string WithPlaceholder(JsonObject body, string property, bool refuseAsWhole) =>
        Edit(body, o =>
        {
            o[property] = Placeholder;
            if (refuseAsWhole)
                o[UnknownField] = 1;
        });

    /// <summary>The text of a changed copy of the body (properties keep their order; added ones come last).</summary>
    private static string Edit(JsonObject body, Action<JsonObject> edit)
    {
        var copy = body.DeepClone().AsObject();
        edit(copy);
        return copy.ToJsonString();
    }

    private static Fuzz Text(string name, string url, string text) => new(name, url, () => RawJson(text), []);

    private static HttpContent? NoBody() => null;

    private static ByteArrayContent Utf8Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static StringContent WithContentType(string text, string? type)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = null;
        if (type is not null)
            content.Headers.TryAddWithoutValidation("Content-Type", type);
        return content;
    }

    /// <summary>
    /// Sends one malformed request and classifies the answer: a 5xx, a 4xx that is not a problem document (404 and 405
    /// included), an answer below 400 to a write, or a status other than the mutation allows is a failure.
    /// </summary>
    private static async Task<(string Class, string? Failure)> SendAsync(HttpClient client, ApiOperation op, Fuzz fuzz)
    {
        var what = $"{op.Method} {Shorten(fuzz.Url, 120)} [{fuzz.Name}]";
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), fuzz.Url) { Content = fuzz.Content() };
        foreach (var (header, value) in fuzz.Headers)
            request.Headers.TryAddWithoutValidation(header, value);

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (Exception e)
        {
            return ("threw", $"{what}: the request threw {e.GetType().Name}: {Shorten(e.Message, 300)}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            var problem = status switch
            {
                >= 500 => "a server error",
                >= 400 when type != ProblemJson => $"not a problem document ({type ?? "no Content-Type"})",
                < 400 when op.Method != "GET" => "a malformed write was accepted",
                _ => fuzz.Statuses is { } allowed && !allowed.Contains(status) ? $"expected {string.Join(" or ", allowed)}" : null,
            };
            var statusClass = $"{status / 100}xx";
            if (problem is null)
                return (statusClass, null);
            var text = await response.Content.ReadAsStringAsync();
            return (statusClass, $"{what}: {status}, {problem}: {Shorten(text, 300)}");
        }
    }

    /// <summary>
    /// md5 of every row (as text, in order) of each tenant table (a tenant_id column; base tables of the public schema)
    /// and of the tenants table, read on the owner's connection (no row-level security).
    /// </summary>
    private async Task<Dictionary<string, string>> DigestAsync()
    {
        await using var db = Factory.Database.Owner();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        var columns = new List<(string Table, string Column)>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = """
                SELECT c.table_name::text, c.column_name::text
                FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                  AND (c.table_name = 'tenants' OR EXISTS (
                      SELECT 1 FROM information_schema.columns k
                      WHERE k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = 'tenant_id'))
                ORDER BY c.table_name, c.ordinal_position
                """;
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in columns.GroupBy(c => c.Table).Where(t => !ExcludedTables.Contains(t.Key)))
        {
            var kept = table.Where(c => !ExcludedColumns.Contains($"{c.Table}.{c.Column}")).Select(c => Quote(c.Column));
            await using var digest = connection.CreateCommand();
            digest.CommandText = "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                                 + $"FROM (SELECT {string.Join(", ", kept)} FROM {Quote(table.Key)}) t";
            digests[table.Key] = await digest.ExecuteScalarAsync() as string ?? "";
        }
        return digests;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var chars = new char[length];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
