using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Campaigns;

/// <summary>
/// Campaigns over HTTP with real tokens: the life of a campaign, its launch turning the tenant's own contacts and leads
/// into targets, targets added and removed by id, and another tenant that can neither see nor touch any of it.
/// </summary>
public sealed class CampaignTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> send, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> CampaignAsync(HttpClient client, object body) =>
        (await OkAsync(client.PostAsJsonAsync("/api/campaigns", body), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static async Task<string> CustomerAsync(HttpClient client, string name, params string[] tags) =>
        (await CreateCustomerAsync(client, new { name, source = "web", tags })).GetProperty("id").GetString()!;

    private static async Task<string> ContactAsync(HttpClient client, string first, string? phone, string? email, string? customerId = null) =>
        (await CreateContactAsync(client, new { firstName = first, lastName = "Person", phone, email, customerId })).GetProperty("id").GetString()!;

    private static async Task<string> LeadAsync(HttpClient client, string first, string? phone, string? email, params string[] tags) =>
        (await OkAsync(client.PostAsJsonAsync("/api/leads", new { firstName = first, lastName = "Lead", phone, email, tags }), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

    private static async Task<List<JsonElement>> TargetsAsync(HttpClient client, string campaign, string query = "") =>
        [.. (await OkAsync(client.GetAsync($"/api/campaigns/{campaign}/targets{query}"))).GetProperty("items").EnumerateArray()];

    private static IEnumerable<string?> Names(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("name").GetString()).Order();

    [Fact]
    public async Task A_campaign_is_drafted_scheduled_launched_paused_resumed_and_completed_and_its_launch_makes_its_targets()
    {
        var vip = await CustomerAsync(A, "Vip Co", "vip");
        var plain = await CustomerAsync(A, "Plain Co");
        await ContactAsync(A, "Ada", "+44 20 7946 0001", "ada@a.example", vip);
        await ContactAsync(A, "Noel", null, "noel@a.example", vip); // no phone: a voice campaign cannot reach him
        await ContactAsync(A, "Pat", "+44 20 7946 0002", null, plain); // not a VIP customer's
        await LeadAsync(A, "Ada", "+44 20 7946 0001", "ADA@a.example", "vip"); // Ada again, as a lead: one target
        await LeadAsync(A, "Lee", "+1 555 0100", null, "vip");
        await LeadAsync(A, "Other", "+1 555 0101", null, "cold");

        var id = await CampaignAsync(A, new { name = "VIP calls", channel = "voice", audience = new { tags = new[] { "VIP" } } });
        var draft = await OkAsync(A.GetAsync($"/api/campaigns/{id}"));
        Assert.Equal(("draft", "voice", 0), (draft.GetProperty("status").GetString(), draft.GetProperty("channel").GetString(), draft.GetProperty("targetCount").GetInt32()));
        Assert.Equal(["vip"], draft.GetProperty("audience").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        using (var noStart = await A.PostAsync($"/api/campaigns/{id}/schedule", null))
            await AssertProblemAsync(noStart, HttpStatusCode.Conflict, "campaign-start-required");
        await OkAsync(A.PutAsJsonAsync($"/api/campaigns/{id}", new { name = "VIP calls", channel = "voice", startsAt = "2026-12-01T09:00:00Z", audience = new { tags = new[] { "vip" } } }));
        Assert.Equal("scheduled", (await OkAsync(A.PostAsync($"/api/campaigns/{id}/schedule", null))).GetProperty("status").GetString());

        var launched = await OkAsync(A.PostAsync($"/api/campaigns/{id}/launch", null));
        Assert.Equal(("active", 2), (launched.GetProperty("status").GetString(), launched.GetProperty("targetCount").GetInt32()));
        var targets = await TargetsAsync(A, id);
        Assert.Equal(["Ada Person", "Lee Lead"], Names(targets));
        Assert.All(targets, t => Assert.Equal("pending", t.GetProperty("state").GetString()));
        Assert.Single(targets, t => t.GetProperty("contactId").ValueKind == JsonValueKind.String);

        // After the launch the audience is what the targets are: no more edits; a person added later is added by id.
        using (var edit = await A.PutAsJsonAsync($"/api/campaigns/{id}", new { name = "Renamed", channel = "voice", startsAt = "2026-12-01T09:00:00Z" }))
            await AssertProblemAsync(edit, HttpStatusCode.Conflict, "campaign-not-editable");
        using (var again = await A.PostAsync($"/api/campaigns/{id}/launch", null))
            await AssertProblemAsync(again, HttpStatusCode.Conflict, "campaign-status-transition");

        Assert.Equal("paused", (await OkAsync(A.PostAsync($"/api/campaigns/{id}/pause", null))).GetProperty("status").GetString());
        Assert.Equal("active", (await OkAsync(A.PostAsync($"/api/campaigns/{id}/resume", null))).GetProperty("status").GetString());
        var completed = await OkAsync(A.PostAsync($"/api/campaigns/{id}/complete", null));
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, completed.GetProperty("endedAt").ValueKind);
        using (var cancel = await A.PostAsync($"/api/campaigns/{id}/cancel", null))
            await AssertProblemAsync(cancel, HttpStatusCode.Conflict, "campaign-status-transition");
        using (var delete = await A.DeleteAsync($"/api/campaigns/{id}"))
            await AssertProblemAsync(delete, HttpStatusCode.Conflict, "campaign-not-draft");

        var timeline = (await OkAsync(A.GetAsync($"/api/campaigns/{id}/activities"))).GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("summary").GetString()).ToList();
        Assert.Contains("Campaign VIP calls launched with 2 targets", timeline);
        Assert.Contains("Campaign VIP calls created", timeline);
        Assert.Equal(7, timeline.Count); // created, updated, scheduled, launched, paused, resumed, completed
    }

    [Fact]
    public async Task An_email_campaign_takes_people_with_an_email_and_by_default_only_open_leads()
    {
        await ContactAsync(A, "Mail", null, "mail@a.example");
        await ContactAsync(A, "Phone", "+1 555 0100", null);
        await LeadAsync(A, "Open", null, "open@a.example");
        var lost = await LeadAsync(A, "Gone", null, "gone@a.example");
        await OkAsync(A.PostAsJsonAsync($"/api/leads/{lost}/status", new { status = "lost", lostReason = "No budget" }));

        var id = await CampaignAsync(A, new { name = "Newsletter", channel = "email" });
        await OkAsync(A.PostAsync($"/api/campaigns/{id}/launch", null));

        var targets = await TargetsAsync(A, id);
        Assert.Equal(["Mail Person", "Open Lead"], Names(targets));
        Assert.Equal(Names([targets[1]]), Names(await TargetsAsync(A, id, "?state=pending&pageSize=1&page=2")));
        Assert.Empty(await TargetsAsync(A, id, "?state=completed"));
    }

    [Fact]
    public async Task Targets_are_added_and_removed_by_id_and_another_tenants_person_is_a_404_that_adds_nothing()
    {
        var ada = await ContactAsync(A, "Ada", "+44 20 7946 0001", null);
        var noPhone = await ContactAsync(A, "Noel", null, "noel@a.example");
        var lee = await LeadAsync(A, "Lee", "+1 555 0100", null);
        var bContact = await ContactAsync(B, "Bea", "+44 20 7946 0009", null);
        var id = await CampaignAsync(A, new { name = "Hand picked", channel = "voice", audience = new { people = "contacts", contactTypes = new[] { "partner" } } });

        var added = await OkAsync(A.PostAsJsonAsync($"/api/campaigns/{id}/targets", new { contactIds = new[] { ada }, leadIds = new[] { lee } }));
        Assert.Equal(2, added.GetProperty("targetCount").GetInt32());
        // Adding the same people again adds nothing; the launch does not add them twice either.
        Assert.Equal(2, (await OkAsync(A.PostAsJsonAsync($"/api/campaigns/{id}/targets", new { contactIds = new[] { ada } }))).GetProperty("targetCount").GetInt32());

        using (var foreign = await A.PostAsJsonAsync($"/api/campaigns/{id}/targets", new { contactIds = new[] { bContact } }))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        using (var unreachable = await A.PostAsJsonAsync($"/api/campaigns/{id}/targets", new { contactIds = new[] { noPhone } }))
            await AssertProblemAsync(unreachable, HttpStatusCode.Conflict, "campaign-target-unreachable");
        using (var none = await A.PostAsJsonAsync($"/api/campaigns/{id}/targets", new { contactIds = Array.Empty<Guid>() }))
            await AssertProblemAsync(none, HttpStatusCode.BadRequest, field: "contactIds");

        await OkAsync(A.PostAsync($"/api/campaigns/{id}/launch", null));
        var targets = await TargetsAsync(A, id);
        Assert.Equal(["Ada Person", "Lee Lead"], Names(targets));
        var leeTarget = targets.Single(t => t.GetProperty("name").GetString() == "Lee Lead").GetProperty("id").GetString();
        Assert.Equal(1, (await OkAsync(A.DeleteAsync($"/api/campaigns/{id}/targets/{leeTarget}"))).GetProperty("targetCount").GetInt32());
        using (var gone = await A.DeleteAsync($"/api/campaigns/{id}/targets/{leeTarget}"))
            await AssertProblemAsync(gone, HttpStatusCode.NotFound);
        Assert.Equal(["Ada Person"], Names(await TargetsAsync(A, id)));
    }

    [Fact]
    public async Task Tenant_B_with_the_same_tags_and_emails_gets_none_of_As_people_and_cannot_see_or_touch_As_campaign()
    {
        foreach (var (client, suffix) in new[] { (A, "a"), (B, "b") })
        {
            var customer = await CustomerAsync(client, $"Shared name {suffix}", "vip");
            await ContactAsync(client, "Same", "+44 20 7946 0001", "same@example.test", customer);
            await LeadAsync(client, "Twin", "+1 555 0100", "twin@example.test", "vip");
        }
        var aCampaign = await CampaignAsync(A, new { name = "A's VIPs", channel = "email", audience = new { tags = new[] { "vip" } } });
        var bCampaign = await CampaignAsync(B, new { name = "B's VIPs", channel = "email", audience = new { tags = new[] { "vip" } } });
        await OkAsync(B.PostAsync($"/api/campaigns/{bCampaign}/launch", null));
        var bTargets = await TargetsAsync(B, bCampaign);
        Assert.Equal(2, bTargets.Count);
        var bContactIds = (await OkAsync(B.GetAsync("/api/contacts"))).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToHashSet();
        Assert.All(bTargets.Where(t => t.GetProperty("contactId").ValueKind == JsonValueKind.String), t => Assert.Contains(t.GetProperty("contactId").GetString(), bContactIds));

        await OkAsync(A.PostAsync($"/api/campaigns/{aCampaign}/launch", null));
        var aTarget = (await TargetsAsync(A, aCampaign))[0].GetProperty("id").GetString();
        var aContact = (await OkAsync(A.GetAsync("/api/contacts"))).GetProperty("items")[0].GetProperty("id").GetString();

        foreach (var (method, path) in new[]
                 {
                     ("GET", $"/api/campaigns/{aCampaign}"), ("GET", $"/api/campaigns/{aCampaign}/targets"), ("GET", $"/api/campaigns/{aCampaign}/activities"),
                     ("POST", $"/api/campaigns/{aCampaign}/pause"), ("POST", $"/api/campaigns/{aCampaign}/launch"), ("DELETE", $"/api/campaigns/{aCampaign}"),
                     ("DELETE", $"/api/campaigns/{aCampaign}/targets/{aTarget}"), ("DELETE", $"/api/campaigns/{bCampaign}/targets/{aTarget}"),
                 })
        {
            using var response = await B.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        }
        using (var steal = await B.PostAsJsonAsync($"/api/campaigns/{bCampaign}/targets", new { contactIds = new[] { aContact } }))
            await AssertProblemAsync(steal, HttpStatusCode.NotFound);
        Assert.Equal(2, (await TargetsAsync(B, bCampaign)).Count);
        Assert.DoesNotContain((await OkAsync(B.GetAsync("/api/campaigns"))).GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == aCampaign);
        Assert.Equal("active", (await OkAsync(A.GetAsync($"/api/campaigns/{aCampaign}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_list_filters_by_status_channel_and_owner_and_a_draft_is_deleted()
    {
        var (admin, asAdmin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var voice = await CampaignAsync(asAdmin, new { name = "Voice", channel = "voice" });
        var email = await CampaignAsync(A, new { name = "Email", channel = "email" });
        await OkAsync(A.PostAsync($"/api/campaigns/{email}/launch", null));

        async Task<IEnumerable<string?>> ListAsync(string query) =>
            (await OkAsync(A.GetAsync("/api/campaigns" + query))).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString());
        Assert.Equal(["Email", "Voice"], await ListAsync(""));
        Assert.Equal(["Email"], await ListAsync("?status=active"));
        Assert.Equal(["Voice"], await ListAsync("?channel=voice"));
        Assert.Equal(["Voice"], await ListAsync($"?ownerId={admin.Id}"));

        // Handed to another user of the tenant, or to no one; B's user is not one of A's.
        var (_, asB) = await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
        var bUser = (await OkAsync(asB.GetAsync("/api/team/users"))).GetProperty("items")[0].GetProperty("id").GetString();
        using (var foreign = await A.PutAsJsonAsync($"/api/campaigns/{email}/owner", new { ownerId = bUser }))
            await AssertProblemAsync(foreign, HttpStatusCode.BadRequest, field: "ownerId");
        Assert.Equal(admin.Id.ToString(), (await OkAsync(A.PutAsJsonAsync($"/api/campaigns/{email}/owner", new { ownerId = admin.Id }))).GetProperty("ownerId").GetString());
        Assert.Equal(["Email", "Voice"], await ListAsync($"?ownerId={admin.Id}"));
        Assert.Equal(JsonValueKind.Null, (await OkAsync(A.PutAsJsonAsync($"/api/campaigns/{email}/owner", new { ownerId = (Guid?)null }))).GetProperty("ownerId").ValueKind);
        asB.Dispose();

        await OkAsync(A.DeleteAsync($"/api/campaigns/{voice}"), HttpStatusCode.NoContent);
        using (var gone = await A.GetAsync($"/api/campaigns/{voice}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        asAdmin.Dispose();
    }

    [Fact]
    public async Task Under_owner_only_a_member_sees_the_campaigns_they_own_and_those_shared()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, m1) = await UserAsync(TenantA, "m1@a.example");
        var (_, m2) = await UserAsync(TenantA, "m2@a.example");
        var mine = await CampaignAsync(m1, new { name = "Mine", channel = "voice" });
        var shared = await CampaignAsync(m1, new { name = "Shared", channel = "voice" });
        await OkAsync(m1.PutAsJsonAsync($"/api/campaigns/{shared}/sharing", new { shared = true }));
        await OkAsync(admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }));

        Assert.Equal(["Shared"], (await OkAsync(m2.GetAsync("/api/campaigns"))).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        using (var hidden = await m2.GetAsync($"/api/campaigns/{mine}"))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using (var readOnly = await m2.PostAsync($"/api/campaigns/{shared}/launch", null))
            Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        // The targets name people the member may not see: read by the campaign's owner, not by every member it is shared with.
        using (var targets = await m2.GetAsync($"/api/campaigns/{shared}/targets"))
            Assert.Equal(HttpStatusCode.Forbidden, targets.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await m1.GetAsync($"/api/campaigns/{shared}/targets")).StatusCode);
        admin.Dispose();
        m1.Dispose();
        m2.Dispose();
    }

    [Theory]
    [InlineData("""{"name":"","channel":"voice"}""", "name")]
    [InlineData("""{"name":"x","channel":"fax"}""", "channel")]
    [InlineData("""{"name":"x","channel":"voice","audience":{"tags":["!?"]}}""", "audience.tags[0]")]
    [InlineData("""{"name":"x","channel":"voice","audience":{"people":"nobody"}}""", "audience.people")]
    [InlineData("""{"name":"x","channel":"voice","audience":{"leadStatuses":["won"]}}""", "audience.leadStatuses[0]")]
    [InlineData("""{"name":"x","channel":"voice","startsAt":"2026-12-02T00:00:00Z","endsAt":"2026-12-01T00:00:00Z"}""", "endsAt")]
    [InlineData("""{"name":"x","channel":"voice","audience":{"ownerId":"not-a-guid"}}""", "audience.ownerId")]
    [InlineData("""{"name":"x","channel":"voice","audience":{"tags":null}}""", "audience.tags")]
    [InlineData("""{"name":"x","channel":"voice","audience":{"leadStatuses":null}}""", "audience.leadStatuses")]
    [InlineData("""{"name":"x","channel":"voice",""", null)]
    public async Task Bad_input_is_a_400_naming_the_field_and_writes_nothing(string body, string? field)
    {
        using var response = await A.PostAsync("/api/campaigns", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal(0, (await OkAsync(A.GetAsync("/api/campaigns"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_replacement_without_the_channel_is_a_400_naming_it_and_changes_nothing()
    {
        var id = await CampaignAsync(A, new { name = "Mail", channel = "email" });
        using (var response = await A.PutAsJsonAsync($"/api/campaigns/{id}", new { name = "Mail" }))
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: "channel");
        Assert.Equal("email", (await OkAsync(A.GetAsync($"/api/campaigns/{id}"))).GetProperty("channel").GetString());
    }

    [Fact]
    public async Task A_name_too_long_is_a_400_naming_it()
    {
        using var response = await A.PostAsJsonAsync("/api/campaigns", new { name = new string('n', 201), channel = "voice" });
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: "name");
    }
}
