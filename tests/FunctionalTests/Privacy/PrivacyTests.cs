using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Privacy;

/// <summary>
/// Privacy requests: a person's own data streamed, the tenant's whole data as an export whose archive holds nothing of
/// another tenant, and a person's erasure everywhere in the tenant.
/// </summary>
public sealed class PrivacyTests(ApiFactory factory) : ApiTest(factory)
{
    private const string MarkerB = "bravo-secret-marker";

    [Fact]
    public async Task My_data_is_everything_the_person_owns_created_or_is_assigned_and_nothing_else()
    {
        var (member, client) = await UserAsync(TenantA, "me@a.example");
        using var disposeClient = client;
        var (_, other) = await UserAsync(TenantA, "other@a.example");
        using var disposeOther = other;
        var mine = (await CreateCustomerAsync(client, new { name = "Mine Ltd" })).GetProperty("id").GetString();
        using var created = await client.PostAsJsonAsync("/api/contacts", new { firstName = "Owned", lastName = "Contact", email = "owned@x.example" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var contact = (await Json(created)).GetProperty("id").GetString();
        using (var lead = await client.PostAsJsonAsync("/api/leads", new { firstName = "Own", lastName = "Lead", email = "own.lead@x.example" }))
            Assert.True(lead.StatusCode == HttpStatusCode.Created, await lead.Content.ReadAsStringAsync());
        var assigned = (await CreateCustomerAsync(A, new { name = "Assigned to me" })).GetProperty("id").GetString();
        using (var assign = await A.PutAsJsonAsync($"/api/customers/{assigned}/assignee", new { assigneeId = member.Id }))
            Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        await CreateCustomerAsync(other, new { name = "Someone else's" });
        await CreateCustomerAsync(B, new { name = MarkerB });

        using var response = await client.GetAsync("/api/privacy/my-data", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal(member.Id, root.GetProperty("account").GetProperty("id").GetGuid());
        Assert.False(root.GetProperty("account").TryGetProperty("password_hash", out _));
        Assert.Equal(new[] { assigned, mine }.Order(), root.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Order());
        Assert.Equal([contact], root.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Single(root.GetProperty("leads").EnumerateArray());
        foreach (var section in new[] { "activities", "calls", "conversations", "emailTemplates", "workflows" })
            Assert.Equal(JsonValueKind.Array, root.GetProperty(section).ValueKind);
        Assert.DoesNotContain("Someone else's", text);
        Assert.DoesNotContain(MarkerB, text);

        // An integration's token has no person.
        using var integration = await A.GetAsync("/api/privacy/my-data");
        await AssertProblemAsync(integration, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_tenant_export_is_produced_in_the_background_downloaded_by_a_time_limited_link_and_holds_nothing_of_another_tenant()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var disposeAdmin = admin;
        var customerA = (await CreateCustomerAsync(A, new { name = "Alpha export marker" })).GetProperty("id").GetString()!;
        await CreateContactAsync(A, new { firstName = "Alpha", lastName = "Person", customerId = customerA });
        var customerB = (await CreateCustomerAsync(B, new { name = MarkerB, email = "bravo@b.example" })).GetProperty("id").GetString()!;
        var contactB = (await CreateContactAsync(B, new { firstName = "Bravo", lastName = MarkerB, customerId = customerB })).GetProperty("id").GetString()!;
        using (var leadB = await B.PostAsJsonAsync("/api/leads", new { firstName = "Bravo", lastName = "Lead", email = "bravo.lead@b.example", notes = MarkerB }))
            Assert.Equal(HttpStatusCode.Created, leadB.StatusCode);

        using var requested = await admin.PostAsync("/api/privacy/exports", null);
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var export = await Json(requested);
        var id = export.GetProperty("id").GetString()!;
        Assert.Equal($"/api/privacy/exports/{id}", requested.Headers.Location!.OriginalString);
        Assert.Equal("pending", export.GetProperty("state").GetString());

        // Produced in the background once the request committed: looked at until it is no longer pending.
        var ready = await Json(await admin.GetAsync($"/api/privacy/exports/{id}"));
        for (var wait = 0; wait < 120 && ready.GetProperty("state").GetString() == "pending"; wait++)
        {
            await Task.Delay(500);
            ready = await Json(await admin.GetAsync($"/api/privacy/exports/{id}"));
        }
        Assert.True(ready.GetProperty("state").GetString() == "ready", ready.ToString());
        Assert.Contains((await Json(await admin.GetAsync("/api/privacy/exports"))).EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        using var minted = await admin.PostAsync($"/api/privacy/exports/{id}/download-link", null);
        var link = await Json(minted);
        var url = new Uri(link.GetProperty("url").GetString()!);
        Assert.True(link.GetProperty("expiresAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddMinutes(16));

        // The link alone downloads it; tenant B (or anyone) gets 404 for the export's id, a changed token finds nothing.
        using var anonymous = Anonymous();
        using var download = await anonymous.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        using (var tampered = await anonymous.GetAsync(url.PathAndQuery[..^4] + "AAAA"))
            await AssertProblemAsync(tampered, HttpStatusCode.NotFound);
        var (_, adminB) = await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
        using (adminB)
        using (var foreign = await adminB.GetAsync($"/api/privacy/exports/{id}"))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        using (var member = (await UserAsync(TenantA, "member@a.example")).Client)
        using (var refused = await member.PostAsync("/api/privacy/exports", null))
            await AssertProblemAsync(refused, HttpStatusCode.Forbidden);

        using var zip = new ZipArchive(new MemoryStream(bytes));
        var files = zip.Entries.ToDictionary(e => e.FullName, e => new StreamReader(e.Open(), Encoding.UTF8).ReadToEnd());
        Assert.Contains("manifest.json", files.Keys);
        Assert.Contains("customers.ndjson", files.Keys);
        Assert.Contains("contacts.ndjson", files.Keys);
        Assert.Contains("Alpha export marker", files["customers.ndjson"]);
        Assert.Equal(TenantA.Id, JsonDocument.Parse(files["tenants.ndjson"].Trim()).RootElement.GetProperty("id").GetGuid());
        foreach (var line in files.Where(f => f.Key.EndsWith(".ndjson", StringComparison.Ordinal)).SelectMany(f => f.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind);
        var all = string.Concat(files.Values);
        foreach (var foreign in new[] { TenantB.Id.ToString(), customerB, contactB, MarkerB, "bravo@b.example", "bravo.lead@b.example" })
            Assert.DoesNotContain(foreign, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("password_hash", all);
    }

    [Fact]
    public async Task An_archive_past_its_day_is_deleted_and_its_export_reads_as_expired_while_others_are_kept()
    {
        var (_, adminA) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, adminB) = await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
        using var disposeA = adminA;
        using var disposeB = adminB;
        var expiring = await ReadyExportAsync(adminA);
        var kept = await ReadyExportAsync(adminB);
        // A's archive is a day old now; B's is not.
        await using (var connection = new Npgsql.NpgsqlConnection(Factory.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var age = new Npgsql.NpgsqlCommand("UPDATE tenant_exports SET expires_at = now() - interval '1 minute' WHERE id = $1", connection)
            {
                Parameters = { new Npgsql.NpgsqlParameter<Guid> { TypedValue = Guid.Parse(expiring) } },
            };
            Assert.Equal(1, await age.ExecuteNonQueryAsync());
        }

        var retention = Factory.Services.GetRequiredService<CrmTenancy.Infrastructure.Privacy.ExportRetentionService>();
        Assert.Equal(1, await retention.PurgeAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await retention.PurgeAsync(TestContext.Current.CancellationToken));

        var expired = await Json(await adminA.GetAsync($"/api/privacy/exports/{expiring}"));
        Assert.Equal("expired", expired.GetProperty("state").GetString());
        using (var link = await adminA.PostAsync($"/api/privacy/exports/{expiring}/download-link", null))
            await AssertProblemAsync(link, HttpStatusCode.Conflict, "export-not-ready");
        Assert.Equal(1, await ArchivesAsync());
        Assert.Equal("ready", (await Json(await adminB.GetAsync($"/api/privacy/exports/{kept}"))).GetProperty("state").GetString());
        using (var link = await adminB.PostAsync($"/api/privacy/exports/{kept}/download-link", null))
            Assert.Equal(HttpStatusCode.OK, link.StatusCode);
    }

    /// <summary>An export asked for and produced: its id once it is ready.</summary>
    private static async Task<string> ReadyExportAsync(HttpClient admin)
    {
        using var requested = await admin.PostAsync("/api/privacy/exports", null);
        var id = (await Json(requested)).GetProperty("id").GetString()!;
        for (var wait = 0; wait < 120; wait++)
        {
            if ((await Json(await admin.GetAsync($"/api/privacy/exports/{id}"))).GetProperty("state").GetString() == "ready")
                return id;
            await Task.Delay(250);
        }
        throw new TimeoutException($"Export {id} was not ready after 30 s.");
    }

    /// <summary>How many archives the database holds, over every tenant.</summary>
    private async Task<long> ArchivesAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM tenant_exports WHERE content IS NOT NULL", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task An_erasure_redacts_the_person_everywhere_in_the_tenant_is_recorded_and_is_idempotent()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var disposeAdmin = admin;
        const string Email = "erase.me@people.example";
        var customer = (await CreateCustomerAsync(A, new { name = "Keeps its name" })).GetProperty("id").GetString()!;
        var contact = (await CreateContactAsync(A, new { firstName = "Erin", lastName = "Rasmussen", email = Email, phone = "+1 555 0199", customerId = customer }))
            .GetProperty("id").GetString()!;
        string lead;
        using (var created = await A.PostAsJsonAsync("/api/leads", new { firstName = "Erin", lastName = "Rasmussen", email = Email, notes = "Met at the fair" }))
            lead = (await Json(created)).GetProperty("id").GetString()!;
        using (var conversation = await A.PostAsJsonAsync("/api/conversations", new
               {
                   channel = "chat", contactId = contact,
                   messages = new[] { new { speaker = "customer", direction = "inbound", text = "I am Erin Rasmussen, call me on 555 0199" } },
               }))
            Assert.Equal(HttpStatusCode.Created, conversation.StatusCode);
        var contactB = (await CreateContactAsync(B, new { firstName = "Erin", lastName = "Rasmussen", email = Email })).GetProperty("id").GetString()!;

        using (var foreign = await admin.PostAsJsonAsync("/api/privacy/erasures", new { contactId = contactB }))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        using (var both = await admin.PostAsJsonAsync("/api/privacy/erasures", new { contactId = contact, email = Email }))
            await AssertProblemAsync(both, HttpStatusCode.BadRequest, field: "person");

        using var erased = await admin.PostAsJsonAsync("/api/privacy/erasures", new { email = "  ERASE.me@people.example " });
        Assert.True(erased.StatusCode == HttpStatusCode.OK, await erased.Content.ReadAsStringAsync());
        var record = await Json(erased);
        Assert.False(record.GetProperty("alreadyErased").GetBoolean());
        Assert.Equal([("contact", contact), ("lead", lead)],
            record.GetProperty("records").EnumerateArray().Select(r => (r.GetProperty("kind").GetString(), r.GetProperty("id").GetString())).Order().ToList());
        Assert.DoesNotContain(Email, record.ToString(), StringComparison.OrdinalIgnoreCase);

        var contactNow = await Json(await A.GetAsync($"/api/contacts/{contact}"));
        Assert.Equal(("Erased", JsonValueKind.Null, JsonValueKind.Null), (contactNow.GetProperty("firstName").GetString(),
            contactNow.GetProperty("email").ValueKind, contactNow.GetProperty("phone").ValueKind));
        var leadNow = await Json(await A.GetAsync($"/api/leads/{lead}"));
        Assert.Equal(("Erased", JsonValueKind.Null), (leadNow.GetProperty("firstName").GetString(), leadNow.GetProperty("email").ValueKind));
        var everything = string.Concat(
            (await A.GetStringAsync($"/api/conversations?contactId={contact}")),
            await A.GetStringAsync("/api/activities?pageSize=100"),
            await A.GetStringAsync($"/api/customers/{customer}"),
            await A.GetStringAsync("/api/contacts?search=rasmussen"),
            await A.GetStringAsync("/api/leads?search=erin"));
        Assert.DoesNotContain("Rasmussen", everything);
        Assert.DoesNotContain(Email, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("555 0199", everything);
        // Tenant B's person with the same address is theirs, untouched.
        Assert.Equal(Email, (await Json(await B.GetAsync($"/api/contacts/{contactB}"))).GetProperty("email").GetString());

        using var again = await admin.PostAsJsonAsync("/api/privacy/erasures", new { email = Email });
        var repeated = await Json(again);
        Assert.True(repeated.GetProperty("alreadyErased").GetBoolean());
        Assert.Equal(record.GetProperty("id").GetString(), repeated.GetProperty("id").GetString());
        using (var byId = await admin.PostAsJsonAsync("/api/privacy/erasures", new { leadId = lead }))
            Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        using (var member = (await UserAsync(TenantA, "member@a.example")).Client)
        using (var refused = await member.PostAsJsonAsync("/api/privacy/erasures", new { email = Email }))
            await AssertProblemAsync(refused, HttpStatusCode.Forbidden);
    }
}
