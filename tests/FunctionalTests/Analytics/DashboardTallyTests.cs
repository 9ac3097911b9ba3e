using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Analytics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CrmTenancy.FunctionalTests.Analytics;

/// <summary>
/// The whole tenant's dashboard reads the tallies the database keeps (docs/decisions/0025). Whatever was written to
/// customers, leads and activities, and however the range cuts the days, it must answer what counting the rows answers,
/// before the deltas are folded and after.
/// </summary>
public sealed class DashboardTallyTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task<string> IdAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return text.Length == 0 ? "" : JsonDocument.Parse(text).RootElement.TryGetProperty("id", out var id) ? id.GetString()! : "";
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The dashboard's counts as sorted lines, zero entries left out (the API fills them in, rows have none).</summary>
    private static string Lines(JsonElement dashboard)
    {
        var lines = new List<string>();
        var customers = dashboard.GetProperty("customers");
        lines.Add($"customers {customers.GetProperty("total").GetInt32()}");
        foreach (var (list, key) in new[] { ("byStatus", "status"), ("bySource", "source") })
            foreach (var entry in customers.GetProperty(list).EnumerateArray().Where(e => e.GetProperty("count").GetInt32() != 0))
                lines.Add($"customers {key} {entry.GetProperty(key).GetString()} {entry.GetProperty("count").GetInt32()}");
        lines.Add($"revenue {dashboard.GetProperty("revenue").GetProperty("total").GetDecimal().ToString("0.00", CultureInfo.InvariantCulture)}");
        lines.Add($"leads {dashboard.GetProperty("leads").GetProperty("total").GetInt32()}");
        foreach (var entry in dashboard.GetProperty("leads").GetProperty("byStatus").EnumerateArray().Where(e => e.GetProperty("count").GetInt32() != 0))
            lines.Add($"leads status {entry.GetProperty("status").GetString()} {entry.GetProperty("count").GetInt32()}");
        foreach (var stage in dashboard.GetProperty("funnel").GetProperty("stages").EnumerateArray())
            lines.Add($"funnel {stage.GetProperty("stage").GetString()} {stage.GetProperty("count").GetInt32()}");
        foreach (var week in dashboard.GetProperty("leadsCapturedPerWeek").EnumerateArray().Where(e => e.GetProperty("count").GetInt32() != 0))
            lines.Add($"week {week.GetProperty("weekStart").GetString()} {week.GetProperty("count").GetInt32()}");
        foreach (var day in dashboard.GetProperty("activitiesPerDay").EnumerateArray().Where(e => e.GetProperty("count").GetInt32() != 0))
            lines.Add($"day {day.GetProperty("day").GetString()} {day.GetProperty("count").GetInt32()}");
        return string.Join("\n", lines.Order(StringComparer.Ordinal));
    }

    /// <summary>The same lines counted from the rows themselves, on the owner's connection.</summary>
    private async Task<string> CountedAsync(Guid tenant, Guid? company, DateTimeOffset from, DateTimeOffset to)
    {
        await using var db = Factory.Database.Owner();
        var (start, end) = (from.UtcDateTime, to.UtcDateTime);
        var (firstDay, lastDay) = (DateOnly.FromDateTime(start), DateOnly.FromDateTime(end.AddTicks(-1)));
        var lines = await db.Database.SqlQuery<string>($"""
            SELECT 'customers ' || count(*) AS "Value" FROM customers WHERE tenant_id = {tenant} AND ({company}::uuid IS NULL OR company_id = {company})
            UNION ALL SELECT 'customers status ' || status || ' ' || count(*) FROM customers WHERE tenant_id = {tenant} AND ({company}::uuid IS NULL OR company_id = {company}) GROUP BY status
            UNION ALL SELECT 'customers source ' || source || ' ' || count(*) FROM customers WHERE tenant_id = {tenant} AND ({company}::uuid IS NULL OR company_id = {company}) GROUP BY source
            UNION ALL SELECT 'revenue ' || to_char(coalesce(sum(total_revenue), 0), 'FM999999990.00') FROM customers WHERE tenant_id = {tenant} AND ({company}::uuid IS NULL OR company_id = {company})
            UNION ALL SELECT 'leads ' || count(*) FROM leads WHERE tenant_id = {tenant} AND ({company}::uuid IS NULL OR company_id = {company})
            UNION ALL SELECT 'leads status ' || status || ' ' || count(*) FROM leads WHERE tenant_id = {tenant} AND ({company}::uuid IS NULL OR company_id = {company}) GROUP BY status
            UNION ALL SELECT 'funnel ' || s.stage || ' ' || (SELECT count(*) FROM leads WHERE tenant_id = {tenant} AND ({company}::uuid IS NULL OR company_id = {company})
                      AND captured_at >= {start} AND captured_at < {end} AND furthest_stage >= s.at)
                      FROM (VALUES ('captured', 0), ('nurturing', 1), ('engaged', 2), ('converted', 4)) s(stage, at)
            UNION ALL SELECT 'week ' || to_char(date_trunc('week', captured_at, 'UTC'), 'YYYY-MM-DD') || ' ' || count(*) FROM leads
                      WHERE tenant_id = {tenant} AND ({company}::uuid IS NULL OR company_id = {company}) AND captured_at >= {start} AND captured_at < {end} GROUP BY date_trunc('week', captured_at, 'UTC')
            UNION ALL SELECT 'day ' || to_char(occurred_on, 'YYYY-MM-DD') || ' ' || count(*) FROM activities
                      WHERE tenant_id = {tenant} AND occurred_on >= {firstDay} AND occurred_on <= {lastDay} GROUP BY occurred_on
            """).ToListAsync();
        // Enum names as the API writes them (camel case).
        return string.Join("\n", lines.Select(l => l.Split(' ') is ["customers" or "leads", "status" or "source", var name, var count] parts
                ? $"{parts[0]} {parts[1]} {Camel(name)} {count}" : l).Order(StringComparer.Ordinal));
    }

    private static DateTimeOffset UtcDay(DateTimeOffset instant) => new(instant.UtcDateTime.Date, TimeSpan.Zero);

    private async Task<int> UnfoldedAsync()
    {
        await using var db = Factory.Database.Owner();
        return await db.Database.SqlQueryRaw<int>("""
            SELECT ((SELECT count(*) FROM customer_tallies WHERE NOT folded) + (SELECT count(*) FROM lead_tallies WHERE NOT folded)
                    + (SELECT count(*) FROM activity_tallies WHERE NOT folded))::int AS "Value"
            """).SingleAsync();
    }

    [Fact]
    public async Task The_tallies_answer_what_counting_the_rows_answers_for_any_range_before_and_after_folding()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var north = await IdAsync(admin.PostAsJsonAsync("/api/companies", new { name = "North" }));
        var customers = new List<string>();
        foreach (var (name, source, company) in new[] { ("One", "web", null), ("Two", "referral", north), ("Three", "web", north), ("Four", "campaign", null), ("Five", "direct", null) })
            customers.Add(await IdAsync(A.PostAsJsonAsync("/api/customers", new { name, source, companyId = company })));
        await IdAsync(A.PostAsJsonAsync($"/api/customers/{customers[0]}/purchases", new { amount = 120.25m, on = "2026-11-01" }));
        await IdAsync(A.PostAsJsonAsync($"/api/customers/{customers[1]}/purchases", new { amount = 80m, on = "2026-11-02" }));
        await IdAsync(A.PostAsJsonAsync($"/api/customers/{customers[1]}/status", new { status = "inactive" }));
        await IdAsync(A.PostAsJsonAsync($"/api/customers/{customers[2]}/status", new { status = "churned" }));
        using (var deleted = await A.DeleteAsync($"/api/customers/{customers[4]}"))
            Assert.True(deleted.IsSuccessStatusCode);
        var leads = new List<string>();
        foreach (var (first, company) in new[] { ("Ada", null), ("Ben", north), ("Cy", north), ("Di", null), ("Ed", null), ("Flo", null) })
            leads.Add(await IdAsync(A.PostAsJsonAsync("/api/leads", new { firstName = first, lastName = "Lead", companyId = company })));
        await IdAsync(A.PostAsJsonAsync($"/api/leads/{leads[1]}/status", new { status = "engaged" }));
        await IdAsync(A.PostAsJsonAsync($"/api/leads/{leads[1]}/status", new { status = "lost", lostReason = "Went elsewhere" }));
        await IdAsync(A.PostAsJsonAsync($"/api/leads/{leads[2]}/convert", new { }));
        await IdAsync(A.PostAsJsonAsync($"/api/leads/{leads[3]}/status", new { status = "nurturing" }));
        using (var deleted = await A.DeleteAsync($"/api/leads/{leads[5]}"))
            Assert.True(deleted.IsSuccessStatusCode);
        await IdAsync(B.PostAsJsonAsync("/api/customers", new { name = "B's", source = "web" }));
        await IdAsync(B.PostAsJsonAsync("/api/leads", new { firstName = "Bee", lastName = "Lead" }));

        // Captures and entries on earlier days at odd hours (an import would write such), and a customer moved between
        // companies: updates the triggers count as a delta out of one key and into another.
        var now = DateTimeOffset.UtcNow;
        await using (var db = Factory.Database.Owner())
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE leads SET captured_at = captured_at - interval '1 day 7 hours' WHERE id IN ({Guid.Parse(leads[0])}, {Guid.Parse(leads[1])});
                UPDATE leads SET captured_at = captured_at - interval '9 days 3 hours' WHERE id = {Guid.Parse(leads[3])};
                UPDATE activities SET occurred_at = occurred_at - interval '2 days 5 hours' WHERE tenant_id = {TenantA.Id} AND record_id = {Guid.Parse(customers[0])};
                UPDATE customers SET company_id = NULL WHERE id = {Guid.Parse(customers[2])};
                """);
        }

        var ranges = new (DateTimeOffset From, DateTimeOffset To)[]
        {
            (now.AddDays(-30), now.AddMinutes(1)), // the default shape: partial first and last day
            (UtcDay(now).AddDays(-12), UtcDay(now).AddDays(1)), // whole UTC days only
            (now.AddHours(-40), now.AddHours(-20)), // partial days, one whole day or none between
            (now.AddMinutes(-30), now.AddMinutes(5)), // inside one day
        };
        Assert.True(await UnfoldedAsync() > 0);
        foreach (var pass in new[] { "deltas", "folded" })
        {
            foreach (var (from, to) in ranges)
            {
                var query = $"?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
                foreach (var company in new[] { (string?)null, north })
                {
                    using var response = await A.GetAsync("/api/analytics/dashboard" + query + (company is null ? "" : $"&companyId={company}"));
                    var text = await response.Content.ReadAsStringAsync();
                    Assert.True(response.IsSuccessStatusCode, text);
                    Assert.Equal(await CountedAsync(TenantA.Id, company is null ? null : Guid.Parse(company), from, to), Lines(JsonDocument.Parse(text).RootElement));
                }
            }
            var tallies = Factory.Services.GetServices<IHostedService>().OfType<DashboardTallyService>().Single();
            await tallies.FoldAsync(CancellationToken.None);
            Assert.Equal(0, await UnfoldedAsync());
        }
        admin.Dispose();
    }
}
