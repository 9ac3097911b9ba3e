using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using CrmTenancy.Infrastructure.Automation;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.FunctionalTests.Workflows;

/// <summary>
/// The external email platform, which knows no tenants, served over real HTTP on loopback: two tenants with the same
/// address and the same tag names share one platform contact, each reads only its own tags; opens come back by a
/// signed webhook mapped to a tenant by the tag prefix, once; forged, replayed and cross-prefixed events change nothing.
/// Webhook steps reach a loopback receiver signed with the workflow's secret.
/// </summary>
public sealed class EmailPlatformTests(ApiFactory factory) : ApiTest(factory)
{
    private FakeEmailPlatform _platform = null!;
    private WebApplicationFactory<Program> _host = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _platform = await FakeEmailPlatform.StartAsync();
        _host = Factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("EmailPlatform:BaseUrl", _platform.BaseUrl);
            builder.UseSetting("EmailPlatform:ApiKey", FakeEmailPlatform.ApiKey);
            builder.UseSetting("EmailPlatform:WebhookSecret", FakeEmailPlatform.WebhookSecret);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _platform.DisposeAsync();
        await base.DisposeAsync();
    }

    private Task RunAsync() => AutomationPasses.RunAsync(Factory, _host.Services);

    /// <summary>A tenant that sends through the platform, with a workflow on tag "vip": tag "nurtured", send the welcome.</summary>
    private async Task<HttpClient> TenantOnPlatformAsync(TestTenant tenant, string admin)
    {
        var (_, client) = await UserAsync(tenant, admin, UserRole.TenantAdmin);
        using (var settings = await client.PutAsJsonAsync("/api/automation/settings", new { emailChannel = "platform" }))
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        using var template = await client.PostAsJsonAsync("/api/email-templates", new
        {
            name = "Welcome Email", subject = "Hi {{ first_name }}", htmlBody = "<p>Hi {{ first_name }}</p>", textBody = "Hi",
        });
        var templateId = (await Json(template)).GetProperty("id").GetString();
        using var workflow = await client.PostAsJsonAsync("/api/workflows", new
        {
            name = "VIP", enabled = true, trigger = new { kind = "tagAdded", tag = "vip" },
            steps = new object[]
            {
                new { id = "tag", kind = "addTag", tag = "nurtured", next = "send" },
                new { id = "send", kind = "sendEmail", templateId },
            },
        });
        Assert.Equal(HttpStatusCode.Created, workflow.StatusCode);
        return client;
    }

    private static async Task<string> CaptureAsync(HttpClient client, string email)
    {
        using var lead = await client.PostAsJsonAsync("/api/leads", new { firstName = "Sam", lastName = "Shared", email });
        var id = (await Json(lead)).GetProperty("id").GetString()!;
        using var tagged = await client.PostAsJsonAsync($"/api/leads/{id}/tags", new { tags = new[] { "vip" } });
        Assert.True(tagged.IsSuccessStatusCode);
        return id;
    }

    [Fact]
    public async Task Two_tenants_with_the_same_address_and_tags_share_one_platform_contact_and_each_reads_only_its_own()
    {
        using var adminA = await TenantOnPlatformAsync(TenantA, "admin@a.example");
        using var adminB = await TenantOnPlatformAsync(TenantB, "admin@b.example");
        await CaptureAsync(adminA, "sam@example.com");
        await CaptureAsync(adminB, "sam@example.com");
        await RunAsync();

        var contact = Assert.Single(_platform.Contacts);
        Assert.Equal("sam@example.com", contact.Key);
        Assert.Equal(2, contact.Value.Count);
        Assert.All(contact.Value, tag => Assert.Matches("^ct-[0-9a-z]{8}-nurtured$", tag));
        Assert.Equal(2, _platform.Messages.Count);
        Assert.Equal(2, _platform.Messages.Values.Select(m => m.Tags.Single()[..12]).Distinct().Count());

        using var readerA = await ApiFactory.ClientForAsync(_host, TenantA, "crm.admin");
        using var readerB = await ApiFactory.ClientForAsync(_host, TenantB, "crm.admin");
        foreach (var reader in new[] { readerA, readerB })
        {
            var contacts = await Json(await reader.GetAsync("/api/automation/platform-contacts?tag=nurtured"));
            var only = Assert.Single(contacts.EnumerateArray());
            Assert.Equal("sam@example.com", only.GetProperty("email").GetString());
            Assert.Equal(["nurtured"], only.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        }
        // The platform is asked by the prefix: a tag only the other tenant has is not found.
        Assert.Empty((await Json(await readerA.GetAsync("/api/automation/platform-contacts?tag=vip"))).EnumerateArray());
    }

    [Fact]
    public async Task An_open_comes_back_signed_once_and_forged_replayed_or_cross_prefixed_events_change_nothing()
    {
        using var adminA = await TenantOnPlatformAsync(TenantA, "admin@a.example");
        using var adminB = await TenantOnPlatformAsync(TenantB, "admin@b.example");
        await CaptureAsync(adminA, "sam@example.com");
        await CaptureAsync(adminB, "sam@example.com");
        await RunAsync();
        var prefixA = (await Json(await adminA.GetAsync("/api/workflow-executions"))).GetProperty("items")[0].GetProperty("id").GetString();
        var messages = _platform.Messages.Values.ToList();
        using var anonymous = _host.CreateClient();

        async Task<(HttpStatusCode Status, string Body)> PostAsync((string Body, string Signature) signed)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/email-platform/events") { Content = new StringContent(signed.Body, Encoding.UTF8, "application/json") };
            request.Headers.Add(AutomationEvents.SignatureHeader, signed.Signature);
            using var response = await anonymous.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var now = DateTimeOffset.UtcNow;
        var forged = await PostAsync(FakeEmailPlatform.Event("e-forged", "opened", messages[0], now, secret: "not-the-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        var stale = await PostAsync(FakeEmailPlatform.Event("e-stale", "opened", messages[0], now.AddHours(-1)));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.Status);
        // A's message key under B's prefix: mapped to B, where no such email exists.
        var crossed = messages[0] with { Tags = [messages[1].Tags[0]] };
        Assert.Contains("false", (await PostAsync(FakeEmailPlatform.Event("e-crossed", "opened", crossed, now))).Body, StringComparison.Ordinal);
        Assert.Equal(0, await OpenedAsync());

        Assert.Contains("true", (await PostAsync(FakeEmailPlatform.Event("e-1", "opened", messages[0], now))).Body, StringComparison.Ordinal);
        Assert.Contains("false", (await PostAsync(FakeEmailPlatform.Event("e-1", "opened", messages[0], now))).Body, StringComparison.Ordinal);
        Assert.Equal(1, await OpenedAsync());
        Assert.NotNull(prefixA);
    }

    private async Task<long> OpenedAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM automation_deliveries WHERE opened_at IS NOT NULL", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_webhook_step_posts_the_lead_signed_with_the_workflows_secret_and_an_idempotency_key()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var disposeAdmin = admin;
        using var created = await admin.PostAsJsonAsync("/api/workflows", new
        {
            name = "Hook", enabled = true, trigger = new { kind = "leadCaptured" },
            steps = new object[] { new { id = "hook", kind = "webhook", url = receiver.Url } },
        });
        var workflow = await Json(created);
        using var lead = await admin.PostAsJsonAsync("/api/leads", new { firstName = "Hook", lastName = "Target", email = "hook@example.com" });
        var leadId = (await Json(lead)).GetProperty("id").GetString();
        await RunAsync();

        var call = Assert.Single(receiver.Calls);
        var parts = call.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(workflow.GetProperty("webhookSecret").GetString()!), Encoding.UTF8.GetBytes($"{parts["t"]}.{call.Body}")));
        Assert.Equal(expected, parts["v1"]);
        Assert.Equal(leadId, JsonDocument.Parse(call.Body).RootElement.GetProperty("lead").GetProperty("id").GetString());
        Assert.True(Guid.TryParse(call.Key, out _));
    }
}
