using System.Globalization;
using System.Text.Json;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.ChangeFeed;
using CrmTenancy.WebApi.Auth;
using FluentValidation;
using FluentValidation.Results;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// The tenant's changes as Server-Sent Events, as they commit: <c>GET /api/events</c> (optionally <c>?types=customer,lead</c>
/// and <c>&amp;companyId=</c>), each event's <c>id</c> its number in the tenant's order, so a reconnect with
/// <c>Last-Event-ID</c> resumes where it left off (within a day's retention). A member of an owner-only tenant sees the
/// events of the records they may see. Heartbeats keep proxies from closing a quiet stream. Every instance serves every
/// tenant: the feed is read from the database, and PostgreSQL's NOTIFY wakes the instances' streams.
/// </summary>
public sealed class Events : IEndpointGroup
{
    public const string HeartbeatSetting = "ChangeFeed:HeartbeatSeconds";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/events", Stream).WithTags("Events").WithName("StreamChanges").RequireAuthorization(Policies.Read)
            .Produces<ChangeNotice>(StatusCodes.Status200OK, "text/event-stream");

    /// <summary>The <c>data</c> of one <c>change</c> event of the stream; its <c>id</c> is <see cref="Sequence"/>.</summary>
    public sealed record ChangeNotice(
        long Sequence, string Type, string RecordType, Guid RecordId, string Action, string? Actor, int? Version, Guid? CompanyId, DateTimeOffset OccurredAt);

    public static async Task Stream(HttpContext context, ChangeFeedHub hub, ChangeFeedReader reader, ITenantContext tenant, IConfiguration configuration,
        string? types = null, Guid? companyId = null)
    {
        var kinds = types?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (kinds?.FirstOrDefault(k => !ChangeFeedReader.RecordTypes.Contains(k)) is { } unknown)
            throw new ValidationException([new ValidationFailure("types", $"'{unknown}' is not a record type; the types are {string.Join(", ", ChangeFeedReader.RecordTypes)}.")]);
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        long last;
        if (lastEventId.Length == 0)
            last = await reader.LatestAsync(context.RequestAborted);
        else if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out last))
            throw new ValidationException([new ValidationFailure("Last-Event-ID", "Last-Event-ID is the id of an event this stream sent: a whole number.")]);
        var heartbeat = TimeSpan.FromSeconds(configuration.GetValue(HeartbeatSetting, 15));

        var matches = ChangeFeedReader.Filter(kinds, companyId, tenant.OwnerScope).Compile();
        using var subscription = hub.Subscribe(tenant.TenantId);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var body = context.Response.Body;
        var cancel = context.RequestAborted;
        try
        {
            await WriteAsync(body, $"retry: 3000\n: connected\n\n", cancel);
            while (!cancel.IsCancellationRequested)
            {
                List<ChangeEvent> batch;
                do
                {
                    // From the instance's window of the tenant's recent events, or from the table when the window does not reach back.
                    batch = subscription.After(last, matches) ?? await reader.AfterAsync(last, kinds, companyId, cancel);
                    foreach (var change in batch)
                    {
                        var data = JsonSerializer.Serialize(new ChangeNotice(change.Sequence, change.Type, change.RecordType, change.RecordId, change.Action,
                            change.Actor, change.Version, change.CompanyId, change.OccurredAt), Json);
                        await WriteAsync(body, $"id: {change.Sequence}\nevent: change\ndata: {data}\n\n", cancel);
                        last = change.Sequence;
                    }
                }
                while (batch.Count == ChangeFeedReader.Batch);
                if (!await subscription.WaitAsync(heartbeat, cancel))
                    await WriteAsync(body, ": heartbeat\n\n", cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The subscriber went away.
        }
    }

    private static async Task WriteAsync(Stream body, string text, CancellationToken cancellationToken)
    {
        await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
