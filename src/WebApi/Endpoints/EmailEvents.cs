using CrmTenancy.Infrastructure.Automation;
using CrmTenancy.WebApi.Auth;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// What recipients and the email platform send back, without a token: the platform's signed open and click events,
/// the own sender's open pixel, and the one-click unsubscribe (RFC 8058: a GET shows a button, the POST unsubscribes).
/// Each names its tenant only in a signed or sealed form.
/// </summary>
public sealed class EmailEvents : IEndpointGroup
{
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription().WithMetadata(ResolvesOwnTenant.Instance);
        group.MapPost("/api/email-platform/events", PlatformEvent);
        group.MapGet("/api/email/opened", async (string? token, AutomationEvents events, CancellationToken cancellationToken) =>
        {
            if (!string.IsNullOrEmpty(token) && token.Length <= 2048)
                await events.OpenedAsync(token, cancellationToken);
            return Results.File(Pixel, "image/gif");
        });
        group.MapGet("/unsubscribe", (string? token) => Results.Content(
            $"<!doctype html><title>Unsubscribe</title><form method=\"post\"><input type=\"hidden\" name=\"token\" value=\"{System.Net.WebUtility.HtmlEncode(token)}\">" +
            "<button>Stop these emails</button></form>", "text/html"));
        group.MapPost("/unsubscribe", Unsubscribe);
    }

    private static async Task<IResult> PlatformEvent(HttpContext context, AutomationEvents events)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        return await events.PlatformEventAsync(body, context.Request.Headers[AutomationEvents.SignatureHeader], context.RequestAborted) switch
        {
            EventOutcome.Refused => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The event's signature does not hold.",
                type: "https://crmtenancy.dev/problems/signature-invalid"),
            EventOutcome.Applied => Results.Ok(new { applied = true }),
            _ => Results.Ok(new { applied = false }),
        };
    }

    private static async Task<IResult> Unsubscribe(HttpContext context, AutomationEvents events)
    {
        string? token = context.Request.Query["token"];
        if (string.IsNullOrEmpty(token) && context.Request.HasFormContentType)
            token = (await context.Request.ReadFormAsync(context.RequestAborted))["token"];
        return !string.IsNullOrEmpty(token) && token.Length <= 2048 && await events.UnsubscribeAsync(token, context.RequestAborted)
            ? Results.Content("<!doctype html><title>Unsubscribed</title><p>You will receive no more of these emails.</p>", "text/html")
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The unsubscribe link is not valid or has expired.",
                type: "https://crmtenancy.dev/problems/link-invalid");
    }
}
