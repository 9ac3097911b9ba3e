using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CrmTenancy.FunctionalTests.Workflows;

/// <summary>
/// The own sender's production path: MailKit speaking SMTP to a real SMTP server on loopback. A workflow email
/// arrives once, as multipart/alternative with the delivery's key as its Message-ID, even when the deliverer passes
/// again; after the recipient unsubscribes, the next workflow email to that address is never handed to SMTP.
/// </summary>
public sealed partial class SmtpSenderTests(ApiFactory factory) : ApiTest(factory)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Inbox _inbox = new();
    private Task _server = Task.CompletedTask;
    private WebApplicationFactory<Program> _host = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var port = FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Port(port).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_inbox);
        _server = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
        await WaitListeningAsync(port);
        _host = Factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
            builder.UseSetting("Email:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Email:Smtp:Security", "None");
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _stop.CancelAsync();
        try { await _server; } catch (OperationCanceledException) { }
        _stop.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_workflow_email_reaches_the_smtp_server_once_with_its_key_and_an_unsubscribed_address_gets_no_more()
    {
        var (_, admin) = await UserAsync(TenantA, "smtp@a.example", UserRole.TenantAdmin);
        using var _ = admin;
        using var template = await admin.PostAsJsonAsync("/api/email-templates", new
        {
            name = "Welcome Email", subject = "Welcome, {{ first_name }}",
            htmlBody = "<p>Hello {{ first_name }} &amp; co</p><a href=\"{{ unsubscribe_url }}\">stop</a>", textBody = "Hello {{ first_name }}",
        });
        var templateId = (await Json(template)).GetProperty("id").GetString();
        using (var workflow = await admin.PostAsJsonAsync("/api/workflows", new
        {
            name = "Welcome", enabled = true, trigger = new { kind = "tagAdded", tag = "welcome" },
            steps = new object[] { new { id = "send", kind = "sendEmail", templateId } },
        }))
            Assert.Equal(HttpStatusCode.Created, workflow.StatusCode);

        await CaptureAsync(admin, "grace@example.com");
        await AutomationPasses.RunAsync(Factory, _host.Services);
        await AutomationPasses.RunAsync(Factory, _host.Services);

        var message = Assert.Single(_inbox.Messages);
        Assert.Equal("grace@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Welcome, Ada", message.Subject);
        Assert.Matches("^[0-9a-f]{32}@crmtenancy$", message.MessageId);
        Assert.Equal("multipart/alternative", message.Body?.ContentType.MimeType);
        Assert.Equal("Hello Ada", message.TextBody?.Trim());
        var html = message.HtmlBody ?? "";
        Assert.Contains("<p>Hello Ada &amp; co</p>", html, StringComparison.Ordinal);

        // The recipient unsubscribes with the link in the email; a second lead with the same address, tagged, starts
        // the workflow again, and its send step records the suppression instead of speaking SMTP.
        var unsubscribe = WebUtility.HtmlDecode(UnsubscribeUrl().Match(html).Groups[1].Value);
        using (var anonymous = Anonymous())
        using (var done = await anonymous.PostAsync(new Uri(unsubscribe).PathAndQuery, null))
            Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());
        var again = await CaptureAsync(admin, "grace@example.com");
        await AutomationPasses.RunAsync(Factory, _host.Services);

        Assert.Single(_inbox.Messages);
        var executions = await Json(await admin.GetAsync($"/api/workflow-executions?leadId={again}"));
        var execution = Assert.Single(executions.GetProperty("items").EnumerateArray());
        Assert.Equal("completed", execution.GetProperty("state").GetString());
    }

    private static async Task<string> CaptureAsync(HttpClient client, string email)
    {
        using var lead = await client.PostAsJsonAsync("/api/leads", new { firstName = "Ada", lastName = "Lovelace", email });
        var id = (await Json(lead)).GetProperty("id").GetString()!;
        using var tagged = await client.PostAsJsonAsync($"/api/leads/{id}/tags", new { tags = new[] { "welcome" } });
        Assert.True(tagged.IsSuccessStatusCode, await tagged.Content.ReadAsStringAsync());
        return id;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitListeningAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException) when (attempt < 50)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }

    [GeneratedRegex("href=\"([^\"]*unsubscribe[^\"]+)\"")]
    private static partial Regex UnsubscribeUrl();

    /// <summary>What the SMTP server accepted, parsed back with MimeKit.</summary>
    private sealed class Inbox : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
