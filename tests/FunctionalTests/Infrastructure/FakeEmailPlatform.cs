using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.FunctionalTests.Infrastructure;

/// <summary>
/// A contacts-and-tags email platform over real HTTP on loopback, which like the real kind knows no tenants: one
/// contact per address with whatever tags it is given, messages sent once per Idempotency-Key, a bearer API key.
/// It signs the open and click events it posts back as the real one would.
/// </summary>
public sealed class FakeEmailPlatform : IAsyncDisposable
{
    public const string ApiKey = "test-platform-key";
    public const string WebhookSecret = "test-platform-webhook-secret";

    private readonly WebApplication _app;

    public ConcurrentDictionary<string, HashSet<string>> Contacts { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, SentMessage> Messages { get; } = new();
    public int Requests;

    public sealed record SentMessage(string Key, string To, string Subject, string Html, string[] Tags);

    private FakeEmailPlatform(WebApplication app) => _app = app;

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<FakeEmailPlatform> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var platform = new FakeEmailPlatform(app);
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref platform.Requests);
            if (context.Request.Headers.Authorization != $"Bearer {ApiKey}")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
        app.MapPut("/contacts/{email}", async (string email, HttpRequest request) =>
        {
            var body = await JsonDocument.ParseAsync(request.Body);
            var tags = platform.Contacts.GetOrAdd(email, _ => []);
            lock (tags)
            {
                foreach (var tag in body.RootElement.GetProperty("tags").EnumerateArray())
                    tags.Add(tag.GetString()!);
            }
            return Results.NoContent();
        });
        app.MapDelete("/contacts/{email}/tags/{tag}", (string email, string tag) =>
        {
            if (platform.Contacts.TryGetValue(email, out var tags))
                lock (tags)
                    tags.Remove(tag);
            return Results.NoContent();
        });
        app.MapGet("/contacts", (string tag) => platform.Contacts
            .Where(c => { lock (c.Value) return c.Value.Contains(tag); })
            .Select(c => { lock (c.Value) return new { email = c.Key, tags = c.Value.ToArray() }; })
            .ToList());
        app.MapPost("/messages", async (HttpRequest request) =>
        {
            var key = request.Headers["Idempotency-Key"].ToString();
            var body = (await JsonDocument.ParseAsync(request.Body)).RootElement;
            platform.Messages.TryAdd(key, new SentMessage(key, body.GetProperty("to").GetString()!, body.GetProperty("subject").GetString()!,
                body.GetProperty("html").GetString()!, [.. body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)]));
            return Results.Accepted();
        });
        await app.StartAsync();
        return platform;
    }

    /// <summary>An event as the platform posts it, with its signature header (t=unix seconds, v1=HMAC-SHA256).</summary>
    public static (string Body, string Signature) Event(string id, string type, SentMessage message, DateTimeOffset at, string secret = WebhookSecret)
    {
        var body = JsonSerializer.Serialize(new { id, type, email = message.To, tags = message.Tags, messageKey = message.Key, occurredAt = at });
        var t = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        return (body, $"t={t},v1={v1}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A loopback receiver of webhook calls: each request's headers and body, in order.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<(string Signature, string Key, string Body)> Calls { get; } = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            receiver.Calls.Enqueue((request.Headers["X-Crm-Signature"].ToString(), request.Headers["Idempotency-Key"].ToString(), await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the workflow runner's background service does, run by a test: the triggers, then steps and deliveries until none is due.</summary>
public static class AutomationPasses
{
    public static async Task RunAsync(ApiFactory factory, IServiceProvider host)
    {
        factory.WaitForOutbox();
        var runner = host.GetRequiredService<CrmTenancy.Infrastructure.Automation.WorkflowRunner>();
        var deliverer = host.GetRequiredService<CrmTenancy.Infrastructure.Automation.AutomationDeliverer>();
        for (var pass = 0; pass < 20; pass++)
        {
            if (await runner.RunDueAsync(TestContext.Current.CancellationToken) + await deliverer.DeliverDueAsync(TestContext.Current.CancellationToken) == 0)
                return;
        }
    }
}
