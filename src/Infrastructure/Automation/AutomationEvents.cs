using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Workflows;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>An open or click event as the external platform posts it.</summary>
public sealed record PlatformEvent(string Id, string Type, string Email, IReadOnlyList<string> Tags, string MessageKey, DateTimeOffset OccurredAt);

public enum EventOutcome
{
    Applied,
    /// <summary>Authentic, but it changes nothing: a replay, or an email no tenant of its prefix sent.</summary>
    Ignored,
    /// <summary>Not signed by the platform, or signed too long ago: nothing was read from it.</summary>
    Refused,
}

/// <summary>
/// What comes back from recipients: opens and clicks (from the platform's signed webhook, or the own sender's pixel)
/// and unsubscribes. Each is applied as the tenant its link or tag names, through the job runner, so row-level security
/// binds it; a platform event is read only after its signature holds, mapped to a tenant by its tag prefix, and
/// applied once (its id is kept).
/// </summary>
public sealed class AutomationEvents(DbContexts contexts, ITenantJobRunner jobs, EmailLinks links, IOptions<EmailPlatformOptions> options, TimeProvider clock)
{
    public const string SignatureHeader = "X-Platform-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Verifies <c>t={unix},v1={hex HMAC-SHA256(secret, t + "." + body)}</c> within <see cref="Tolerance"/>, then applies the event.</summary>
    public async Task<EventOutcome> PlatformEventAsync(string body, string? signature, CancellationToken cancellationToken)
    {
        if (!Verify(body, signature, options.Value.WebhookSecret))
            return EventOutcome.Refused;
        PlatformEvent? platformEvent;
        try
        {
            platformEvent = JsonSerializer.Deserialize<PlatformEvent>(body, Json);
        }
        catch (JsonException)
        {
            return EventOutcome.Ignored;
        }
        if (platformEvent is not { Id.Length: > 0 and <= 100, Tags: not null } || platformEvent.Type is not ("opened" or "clicked")
            || !Guid.TryParse(platformEvent.MessageKey, out var key))
            return EventOutcome.Ignored;
        var prefixes = platformEvent.Tags.Where(t => t.Length >= TagPrefix.Length).Select(t => t[..TagPrefix.Length]).Where(TagPrefix.IsWellFormed).Distinct().ToList();
        if (prefixes.Count != 1)
            return EventOutcome.Ignored;
        Guid tenant;
        await using (var db = contexts.Platform())
        {
            var found = await db.Set<Tenant>().Where(t => t.TagPrefix == prefixes[0]).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(cancellationToken);
            if (found is null)
                return EventOutcome.Ignored;
            tenant = found.Value;
        }
        return await jobs.RunAsync(tenant, async (services, token) =>
        {
            var db = services.GetRequiredService<CrmDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var fresh = await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO email_platform_events (tenant_id, event_id, received_at) VALUES ({0}, {1}, {2}) ON CONFLICT DO NOTHING",
                [tenant, platformEvent.Id, clock.GetUtcNow()], token);
            var applied = fresh == 1 && await RecordAsync(db, key, platformEvent.Type == "clicked", platformEvent.OccurredAt, token);
            await transaction.CommitAsync(token);
            return applied ? EventOutcome.Applied : EventOutcome.Ignored;
        }, cancellationToken);
    }

    /// <summary>The own sender's pixel was loaded: the email was opened.</summary>
    public async Task OpenedAsync(string token, CancellationToken cancellationToken)
    {
        if (links.OpenPixelToken(token) is not var (tenant, delivery))
            return;
        await jobs.RunAsync(tenant, async (services, ct) =>
        {
            var db = services.GetRequiredService<CrmDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await RecordAsync(db, delivery, click: false, clock.GetUtcNow(), ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <summary>Stops the tenant's emails to the address the link names; true when the link is valid (again: still true).</summary>
    public async Task<bool> UnsubscribeAsync(string token, CancellationToken cancellationToken)
    {
        if (links.OpenUnsubscribe(token) is not var (tenant, email))
            return false;
        await jobs.RunAsync(tenant, (services, ct) => services.GetRequiredService<CrmDbContext>().Database.ExecuteSqlRawAsync(
            "INSERT INTO email_suppressions (tenant_id, normalized_email, at) VALUES ({0}, {1}, {2}) ON CONFLICT DO NOTHING",
            [tenant, Domain.Common.EmailAddress.Normalize(email), clock.GetUtcNow()], ct), cancellationToken);
        return true;
    }

    /// <summary>Marks the email; a condition waiting for this email (and no other step) looks again at once.</summary>
    private static async Task<bool> RecordAsync(CrmDbContext db, Guid deliveryId, bool click, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var delivery = await db.Set<AutomationDelivery>().SingleOrDefaultAsync(d => d.Id == deliveryId && d.Kind == DeliveryKind.Email, cancellationToken);
        if (delivery is null || !delivery.Record(click, at))
            return false;
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE workflow_step_runs SET due_at = now() WHERE tenant_id = {0} AND execution_id = {1} AND state = 'Pending' AND waiting_for = {2}",
            [delivery.TenantId, delivery.ExecutionId, delivery.Id], cancellationToken);
        return true;
    }

    public bool Verify(string body, string? header, string? secret)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(header))
            return false;
        string? t = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair is ["t", var time]) t = time;
            if (pair is ["v1", var value]) v1 = value;
        }
        if (t is null || v1 is null || !long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))).Duration() > Tolerance)
            return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
