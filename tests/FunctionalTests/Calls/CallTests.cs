using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Calls;

/// <summary>
/// Calls over HTTP with real tokens: scheduled, answered and completed with an outcome, or ended unanswered; a campaign
/// call moves its target and the person's last contact in the same transaction; another tenant sees and touches none.
/// </summary>
public sealed class CallTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> send, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> IdOf(Task<HttpResponseMessage> send) =>
        (await OkAsync(send, HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static Task<string> LeadAsync(HttpClient client, string first, string phone) =>
        IdOf(client.PostAsJsonAsync("/api/leads", new { firstName = first, lastName = "Lead", phone }));

    private static async Task<string> ContactAsync(HttpClient client, string first, string phone) =>
        (await CreateContactAsync(client, new { firstName = first, lastName = "Person", phone })).GetProperty("id").GetString()!;

    private static async Task<string> LaunchedCampaignAsync(HttpClient client)
    {
        var id = await IdOf(client.PostAsJsonAsync("/api/campaigns", new { name = "Calls", channel = "voice" }));
        await OkAsync(client.PostAsync($"/api/campaigns/{id}/launch", null));
        return id;
    }

    private static async Task<JsonElement> TargetAsync(HttpClient client, string campaign, string targetId) =>
        (await OkAsync(client.GetAsync($"/api/campaigns/{campaign}/targets?pageSize=100"))).GetProperty("items").EnumerateArray()
        .Single(t => t.GetProperty("id").GetString() == targetId);

    [Fact]
    public async Task A_campaign_call_is_answered_and_completed_and_moves_its_target_and_the_leads_last_contact()
    {
        var lead = await LeadAsync(A, "Lee", "+1 555 0100");
        var contact = await ContactAsync(A, "Ada", "+44 20 7946 0001");
        var campaign = await LaunchedCampaignAsync(A);

        var created = await OkAsync(A.PostAsJsonAsync($"/api/campaigns/{campaign}/calls", new { leadId = lead }), HttpStatusCode.Created);
        var call = created.GetProperty("id").GetString();
        var target = created.GetProperty("targetId").GetString()!;
        Assert.Equal(("scheduled", "outbound"), (created.GetProperty("status").GetString(), created.GetProperty("direction").GetString()));

        using (var early = await A.PostAsJsonAsync($"/api/calls/{call}/complete", new { outcome = "interested" }))
            await AssertProblemAsync(early, HttpStatusCode.Conflict, "call-status-transition");
        Assert.Equal("ringing", (await OkAsync(A.PostAsync($"/api/calls/{call}/ring", null))).GetProperty("status").GetString());
        Assert.Equal("inProgress", (await OkAsync(A.PostAsync($"/api/calls/{call}/start", null))).GetProperty("status").GetString());
        Assert.Equal(("reached", 0), ((await TargetAsync(A, campaign, target)).GetProperty("state").GetString(), (await TargetAsync(A, campaign, target)).GetProperty("attempts").GetInt32()));

        var done = await OkAsync(A.PostAsJsonAsync($"/api/calls/{call}/complete",
            new { outcome = "converted", notes = "Wants the gold plan", recordingUrl = "https://recordings.example/1.mp3" }));
        Assert.Equal(("completed", "converted"), (done.GetProperty("status").GetString(), done.GetProperty("outcome").GetString()));
        Assert.True(done.GetProperty("durationSeconds").GetInt32() >= 0);
        Assert.Equal($"/api/leads/{lead}/convert", done.GetProperty("convertLead").GetString());
        var completedTarget = await TargetAsync(A, campaign, target);
        Assert.Equal(("completed", 1), (completedTarget.GetProperty("state").GetString(), completedTarget.GetProperty("attempts").GetInt32()));
        Assert.Equal(JsonValueKind.String, (await OkAsync(A.GetAsync($"/api/leads/{lead}"))).GetProperty("lastContactedAt").ValueKind);
        // The conversion stays a command of its own: the lead is not converted by the call.
        Assert.Equal("new", (await OkAsync(A.GetAsync($"/api/leads/{lead}"))).GetProperty("status").GetString());
        using (var cancel = await A.PostAsync($"/api/calls/{call}/cancel", null))
            await AssertProblemAsync(cancel, HttpStatusCode.Conflict, "call-status-transition");

        // An unanswered call on the contact: one attempt, not reached.
        var second = await OkAsync(A.PostAsJsonAsync($"/api/campaigns/{campaign}/calls", new { contactId = contact }), HttpStatusCode.Created);
        var noAnswer = await OkAsync(A.PostAsync($"/api/calls/{second.GetProperty("id").GetString()}/no-answer", null));
        Assert.Equal("noAnswer", noAnswer.GetProperty("status").GetString());
        Assert.Equal("attempted", (await TargetAsync(A, campaign, second.GetProperty("targetId").GetString()!)).GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, (await OkAsync(A.GetAsync($"/api/contacts/{contact}"))).GetProperty("lastContactedAt").ValueKind);

        Assert.Equal(2, (await OkAsync(A.GetAsync($"/api/campaigns/{campaign}/calls"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(1, (await OkAsync(A.GetAsync($"/api/leads/{lead}/calls"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(1, (await OkAsync(A.GetAsync($"/api/contacts/{contact}/calls"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(1, (await OkAsync(A.GetAsync("/api/calls?outcome=converted"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(1, (await OkAsync(A.GetAsync("/api/calls?status=noAnswer"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await OkAsync(A.GetAsync("/api/calls?to=2020-01-01T00:00:00Z"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(2, (await OkAsync(A.GetAsync($"/api/calls?campaignId={campaign}&from={Uri.EscapeDataString("2020-01-01T00:00:00-05:00")}"))).GetProperty("totalCount").GetInt32());
        var timeline = (await OkAsync(A.GetAsync($"/api/calls/{call}/activities"))).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("summary").GetString());
        Assert.Contains("Outbound call completed: Converted", timeline);
    }

    [Fact]
    public async Task A_call_outside_a_campaign_is_inbound_or_outbound_and_a_campaign_call_needs_an_active_campaign_and_a_target()
    {
        var contact = await ContactAsync(A, "Ada", "+44 20 7946 0001");
        var inbound = await OkAsync(A.PostAsJsonAsync("/api/calls", new { contactId = contact, direction = "inbound" }), HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, inbound.GetProperty("campaignId").ValueKind);
        await OkAsync(A.PostAsync($"/api/calls/{inbound.GetProperty("id").GetString()}/start", null));
        await OkAsync(A.PostAsJsonAsync($"/api/calls/{inbound.GetProperty("id").GetString()}/complete", new { outcome = "callbackRequested" }));
        Assert.Equal(JsonValueKind.String, (await OkAsync(A.GetAsync($"/api/contacts/{contact}"))).GetProperty("lastContactedAt").ValueKind);

        var draft = await IdOf(A.PostAsJsonAsync("/api/campaigns", new { name = "Not yet", channel = "voice" }));
        using (var notActive = await A.PostAsJsonAsync($"/api/campaigns/{draft}/calls", new { contactId = contact }))
            await AssertProblemAsync(notActive, HttpStatusCode.Conflict, "campaign-not-active");
        var campaign = await LaunchedCampaignAsync(A);
        var latecomer = await ContactAsync(A, "Late", "+44 20 7946 0002");
        using (var notTarget = await A.PostAsJsonAsync($"/api/campaigns/{campaign}/calls", new { contactId = latecomer }))
            await AssertProblemAsync(notTarget, HttpStatusCode.Conflict, "call-not-a-target");
        var scheduled = await IdOf(A.PostAsJsonAsync("/api/calls", new { contactId = contact, scheduledAt = "2026-12-24T10:00:00Z" }));
        Assert.Equal("cancelled", (await OkAsync(A.PostAsync($"/api/calls/{scheduled}/cancel", null))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Tenant_B_cannot_call_As_people_in_As_campaign_or_read_or_move_As_calls()
    {
        var lead = await LeadAsync(A, "Lee", "+1 555 0100");
        var campaign = await LaunchedCampaignAsync(A);
        var call = await IdOf(A.PostAsJsonAsync($"/api/campaigns/{campaign}/calls", new { leadId = lead }));
        var bContact = await ContactAsync(B, "Bea", "+44 20 7946 0009");

        using (var onAsLead = await B.PostAsJsonAsync("/api/calls", new { leadId = lead }))
            await AssertProblemAsync(onAsLead, HttpStatusCode.NotFound);
        using (var inAsCampaign = await B.PostAsJsonAsync($"/api/campaigns/{campaign}/calls", new { contactId = bContact }))
            await AssertProblemAsync(inAsCampaign, HttpStatusCode.NotFound);
        foreach (var (method, path) in new[]
                 {
                     ("GET", $"/api/calls/{call}"), ("POST", $"/api/calls/{call}/start"), ("POST", $"/api/calls/{call}/cancel"),
                     ("GET", $"/api/calls/{call}/activities"), ("GET", $"/api/leads/{lead}/calls"), ("GET", $"/api/campaigns/{campaign}/calls"),
                 })
        {
            using var response = await B.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        }
        using (var complete = await B.PostAsJsonAsync($"/api/calls/{call}/complete", new { outcome = "interested" }))
            Assert.Equal(HttpStatusCode.NotFound, complete.StatusCode);
        Assert.Equal(0, (await OkAsync(B.GetAsync("/api/calls"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await OkAsync(B.GetAsync($"/api/calls?leadId={lead}"))).GetProperty("totalCount").GetInt32());
        Assert.Equal("scheduled", (await OkAsync(A.GetAsync($"/api/calls/{call}"))).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"direction":"outbound"}""", "contactId")]
    [InlineData("""{"contactId":"00000000-0000-0000-0000-000000000000"}""", "contactId")]
    [InlineData("""{"contactId":"00000000-0000-0000-0000-000000000001","campaignId":"00000000-0000-0000-0000-000000000002"}""", "campaignId")]
    [InlineData("""{"contactId":"00000000-0000-0000-0000-000000000001","direction":"sideways"}""", "direction")]
    [InlineData("""{"contactId":"00000000-0000-0000-0000-000000000001","durationSeconds":60}""", "durationSeconds")]
    [InlineData("""{"contactId":"00000000-0000-0000-0000-000000000001","scheduledAt":"yesterday"}""", "scheduledAt")]
    [InlineData("""{"contactId":""", null)]
    public async Task Bad_input_to_schedule_is_a_400_naming_the_field_and_writes_nothing(string body, string? field)
    {
        using var response = await A.PostAsync("/api/calls", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal(0, (await OkAsync(A.GetAsync("/api/calls"))).GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("""{"outcome":"delighted"}""", "outcome")]
    [InlineData("""{"notes":"no outcome"}""", "outcome")]
    [InlineData("""{"outcome":"interested","recordingUrl":"ftp://recordings.example/1"}""", "recordingUrl")]
    public async Task Bad_input_to_complete_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var contact = await ContactAsync(A, "Ada", "+44 20 7946 0001");
        var call = await IdOf(A.PostAsJsonAsync("/api/calls", new { contactId = contact }));
        await OkAsync(A.PostAsync($"/api/calls/{call}/start", null));

        using var response = await A.PostAsync($"/api/calls/{call}/complete", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal("inProgress", (await OkAsync(A.GetAsync($"/api/calls/{call}"))).GetProperty("status").GetString());
    }
}
