using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Analytics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CrmTenancy.FunctionalTests.Campaigns;

/// <summary>
/// A campaign's statistics and the dashboard's calls and active campaigns, from the tallies the database keeps: the same
/// before and after the deltas are folded, and none of it another tenant's.
/// </summary>
public sealed class CampaignStatsTests(ApiFactory factory) : ApiTest(factory)
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

    private static int Outcome(JsonElement stats, string outcome) =>
        stats.GetProperty("outcomes").EnumerateArray().Single(o => o.GetProperty("outcome").GetString() == outcome).GetProperty("count").GetInt32();

    [Fact]
    public async Task A_campaigns_stats_count_its_targets_calls_outcomes_and_conversions_before_and_after_folding()
    {
        var leads = new List<string>();
        foreach (var name in new[] { "One", "Two", "Three", "Four" })
            leads.Add(await IdOf(A.PostAsJsonAsync("/api/leads", new { firstName = name, lastName = "Lead", phone = "+1 555 0100" + leads.Count })));
        var campaign = await IdOf(A.PostAsJsonAsync("/api/campaigns", new { name = "Stats", channel = "voice" }));
        await OkAsync(A.PostAsync($"/api/campaigns/{campaign}/launch", null));
        // B's campaign and calls, with the same shape: none of them may count in A's numbers.
        var bLead = await IdOf(B.PostAsJsonAsync("/api/leads", new { firstName = "Bee", lastName = "Lead", phone = "+1 555 0199" }));
        var bCampaign = await IdOf(B.PostAsJsonAsync("/api/campaigns", new { name = "B's", channel = "voice" }));
        await OkAsync(B.PostAsync($"/api/campaigns/{bCampaign}/launch", null));
        var bCall = await IdOf(B.PostAsJsonAsync($"/api/campaigns/{bCampaign}/calls", new { leadId = bLead }));
        await OkAsync(B.PostAsync($"/api/calls/{bCall}/start", null));
        await OkAsync(B.PostAsJsonAsync($"/api/calls/{bCall}/complete", new { outcome = "converted" }));

        async Task CallAsync(string lead, string? outcome)
        {
            var call = await IdOf(A.PostAsJsonAsync($"/api/campaigns/{campaign}/calls", new { leadId = lead }));
            if (outcome is null)
            {
                await OkAsync(A.PostAsync($"/api/calls/{call}/no-answer", null));
                return;
            }
            await OkAsync(A.PostAsync($"/api/calls/{call}/start", null));
            await OkAsync(A.PostAsJsonAsync($"/api/calls/{call}/complete", new { outcome }));
        }
        await CallAsync(leads[0], null);
        await CallAsync(leads[0], "converted");
        await CallAsync(leads[1], "notInterested");
        await CallAsync(leads[2], null);
        var open = await IdOf(A.PostAsJsonAsync($"/api/campaigns/{campaign}/calls", new { leadId = leads[3] }));
        await OkAsync(A.PostAsync($"/api/calls/{open}/start", null));

        var tallies = Factory.Services.GetServices<IHostedService>().OfType<DashboardTallyService>().Single();
        foreach (var pass in new[] { "deltas", "folded" })
        {
            var stats = await OkAsync(A.GetAsync($"/api/campaigns/{campaign}/stats"));
            Assert.Equal((4, 4, 3, 2, 4L, 5), (stats.GetProperty("targets").GetInt32(), stats.GetProperty("attempted").GetInt32(),
                stats.GetProperty("reached").GetInt32(), stats.GetProperty("completed").GetInt32(), stats.GetProperty("attempts").GetInt64(),
                stats.GetProperty("calls").GetInt32()));
            Assert.Equal((1, 1, 0), (Outcome(stats, "converted"), Outcome(stats, "notInterested"), Outcome(stats, "voicemail")));
            Assert.Equal((1, 0.25), (stats.GetProperty("conversions").GetInt32(), stats.GetProperty("conversionRate").GetDouble()));
            Assert.True(stats.GetProperty("averageCallSeconds").GetDouble() >= 0, pass);
            Assert.Equal(5, stats.GetProperty("callsPerDay").EnumerateArray().Sum(d => d.GetProperty("count").GetInt32()));

            var dashboard = await OkAsync(A.GetAsync("/api/analytics/dashboard"));
            Assert.Equal((5, 2, 1), (dashboard.GetProperty("calls").GetProperty("total").GetInt32(),
                dashboard.GetProperty("calls").GetProperty("completed").GetInt32(), dashboard.GetProperty("activeCampaigns").GetInt32()));
            await tallies.FoldAsync(CancellationToken.None);
        }

        using (var foreign = await B.GetAsync($"/api/campaigns/{campaign}/stats"))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        var bStats = await OkAsync(B.GetAsync($"/api/campaigns/{bCampaign}/stats"));
        Assert.Equal((1, 1, 1), (bStats.GetProperty("targets").GetInt32(), bStats.GetProperty("calls").GetInt32(), bStats.GetProperty("conversions").GetInt32()));
        var bDashboard = await OkAsync(B.GetAsync("/api/analytics/dashboard"));
        Assert.Equal((1, 1), (bDashboard.GetProperty("calls").GetProperty("total").GetInt32(), bDashboard.GetProperty("activeCampaigns").GetInt32()));
    }

    [Fact]
    public async Task A_campaign_without_targets_or_calls_has_zero_stats_and_no_rates()
    {
        var campaign = await IdOf(A.PostAsJsonAsync("/api/campaigns", new { name = "Empty", channel = "email" }));
        var stats = await OkAsync(A.GetAsync($"/api/campaigns/{campaign}/stats"));
        Assert.Equal((0, 0), (stats.GetProperty("targets").GetInt32(), stats.GetProperty("calls").GetInt32()));
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("conversionRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("averageCallSeconds").ValueKind);
        Assert.Single(stats.GetProperty("callsPerDay").EnumerateArray());
    }
}
