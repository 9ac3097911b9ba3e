using System.Net.Http.Json;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Workflows;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>Settings of the external email platform ("EmailPlatform" section); without a base URL the product's own sender stands in.</summary>
public sealed class EmailPlatformOptions
{
    public const string Section = "EmailPlatform";

    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    /// <summary>The secret the platform signs its event webhooks with.</summary>
    public string? WebhookSecret { get; set; }
}

/// <summary>
/// The HTTP adapter of a contacts-and-tags email platform: <c>PUT /contacts/{email}</c> adds tags,
/// <c>DELETE /contacts/{email}/tags/{tag}</c>, <c>GET /contacts?tag=</c>, <c>POST /messages</c>; a bearer API key, and
/// <c>Idempotency-Key</c> on every write. Its typed client carries the standard resilience handler (timeouts, retries
/// with backoff, a circuit breaker).
/// </summary>
public sealed class HttpEmailPlatform(HttpClient client) : IEmailPlatform
{
    public async Task UpsertContactAsync(string email, IReadOnlyCollection<string> tags, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"contacts/{Uri.EscapeDataString(email)}") { Content = JsonContent.Create(new { tags }) };
        await SendAsync(request, idempotencyKey, cancellationToken);
    }

    public async Task RemoveTagAsync(string email, string tag, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"contacts/{Uri.EscapeDataString(email)}/tags/{Uri.EscapeDataString(tag)}");
        await SendAsync(request, idempotencyKey, cancellationToken);
    }

    public async Task<IReadOnlyList<PlatformContact>> ListContactsByTagAsync(string tag, CancellationToken cancellationToken) =>
        await client.GetFromJsonAsync<List<PlatformContact>>($"contacts?tag={Uri.EscapeDataString(tag)}", cancellationToken) ?? [];

    public async Task SendAsync(PlatformEmail email, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "messages")
        {
            Content = JsonContent.Create(new { to = email.To, subject = email.Subject, text = email.TextBody, html = email.HtmlBody, tags = email.Tags }),
        };
        await SendAsync(request, email.IdempotencyKey, cancellationToken);
    }

    private async Task SendAsync(HttpRequestMessage request, string idempotencyKey, CancellationToken cancellationToken)
    {
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>
/// The product's own sender as a platform, for tenants without the external one: it sends; it keeps no contacts or
/// tags (the CRM's own leads hold them), so tag writes do nothing and a tag lists no contacts.
/// </summary>
public sealed class OwnSenderPlatform(IEmailSender sender) : IEmailPlatform
{
    public Task UpsertContactAsync(string email, IReadOnlyCollection<string> tags, string idempotencyKey, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveTagAsync(string email, string tag, string idempotencyKey, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<PlatformContact>> ListContactsByTagAsync(string tag, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlatformContact>>([]);

    public Task SendAsync(PlatformEmail email, CancellationToken cancellationToken) =>
        sender.SendAsync(new EmailMessage(email.To, email.Subject, email.TextBody, email.HtmlBody,
            Guid.TryParse(email.IdempotencyKey, out var key) ? key : null), cancellationToken);
}
