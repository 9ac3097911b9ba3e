using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.WebApi.SelfTest;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// Every state-changing operation on a resource honours If-Match: the operations are read from the OpenAPI document,
/// so a new one cannot forget. A stale tag is a 412 that changes nothing; a malformed one a 400.
/// </summary>
public sealed class ConditionalRequestTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly string[] ChangingMethods = ["PUT", "POST", "DELETE", "PATCH"];

    [Fact]
    public async Task Every_documented_change_on_a_resource_reads_if_match()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var _ = admin;
        var document = await Json(await admin.GetAsync("/openapi/v1.json"));
        var (operations, schemas) = OpenApiReader.Read(document);
        var synthesizer = new RequestSynthesizer(schemas);
        var tenant = new ScanTenant("A", admin, "conditional");
        var changes = operations.Where(o => ChangingMethods.Contains(o.Method) && o.HasPathParameters).ToList();

        var ignoring = new List<string>();
        foreach (var op in changes)
        {
            // A malformed tag is refused before anything is looked up: an operation that reads If-Match answers 400
            // even for an id that does not exist; one that ignores it answers 404.
            var (url, error) = RequestSynthesizer.Fill(op, tenant, randomIds: true);
            Assert.True(url is not null, error);
            var body = synthesizer.Synthesize(op, tenant, tenant.Marker, creatable: null).Body;
            using var request = new HttpRequestMessage(new HttpMethod(op.Method), url)
            {
                Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("If-Match", "\"not-a-version\"");
            using var response = await admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || !text.Contains("If-Match", StringComparison.Ordinal))
                ignoring.Add($"{op}: {(int)response.StatusCode} {text}");
        }

        Assert.True(changes.Count >= 15, $"only {changes.Count} changing operations found in the document");
        Assert.True(ignoring.Count == 0, "operations that do not read If-Match:\n" + string.Join('\n', ignoring));
    }

    [Fact]
    public async Task A_client_rotation_or_revocation_with_a_stale_tag_is_412_and_changes_nothing()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var _ = admin;
        using var registered = await admin.PostAsJsonAsync("/api/clients", new { name = "Conditional", scopes = new[] { "crm.read" } });
        var created = (await Json(registered)).GetProperty("client");
        var id = created.GetProperty("id").GetString();
        var tag = registered.Headers.ETag!.Tag;
        Assert.Equal($"\"{created.GetProperty("version").GetInt32()}\"", tag);

        using (var rotated = await admin.SendAsync(Request(HttpMethod.Post, $"/api/clients/{id}/secret", ifMatch: tag)))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            Assert.NotEqual(tag, rotated.Headers.ETag!.Tag);
        }
        var before = await (await admin.GetAsync($"/api/clients/{id}")).Content.ReadAsStringAsync();

        using (var stale = await admin.SendAsync(Request(HttpMethod.Post, $"/api/clients/{id}/secret", ifMatch: tag)))
            await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        using (var stale = await admin.SendAsync(Request(HttpMethod.Delete, $"/api/clients/{id}", ifMatch: tag)))
            await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        using (var read = await admin.GetAsync($"/api/clients/{id}"))
        {
            Assert.Equal(before, await read.Content.ReadAsStringAsync());
            using var revoked = await admin.SendAsync(Request(HttpMethod.Delete, $"/api/clients/{id}", ifMatch: read.Headers.ETag!.Tag));
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }
        Assert.NotEqual(JsonValueKind.Null, (await Json(await admin.GetAsync($"/api/clients/{id}"))).GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task An_invitation_revoked_with_a_stale_tag_is_412_and_stays_pending()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var _ = admin;
        using var invited = await admin.PostAsJsonAsync("/api/team/invitations", new { email = "conditional@a.example", role = "member" });
        var id = (await Json(invited)).GetProperty("id").GetString();
        Assert.Equal("\"1\"", invited.Headers.ETag!.Tag);

        using (var stale = await admin.SendAsync(Request(HttpMethod.Delete, $"/api/team/invitations/{id}", ifMatch: "\"7\"")))
            await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        var pending = await Json(await admin.GetAsync("/api/team/invitations"));
        Assert.Contains(pending.EnumerateArray(), i => i.GetProperty("id").GetString() == id && i.GetProperty("version").GetInt32() == 1);

        using var revoked = await admin.SendAsync(Request(HttpMethod.Delete, $"/api/team/invitations/{id}", ifMatch: "\"1\""));
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.DoesNotContain((await Json(await admin.GetAsync("/api/team/invitations"))).EnumerateArray(), i => i.GetProperty("id").GetString() == id);
    }
}
