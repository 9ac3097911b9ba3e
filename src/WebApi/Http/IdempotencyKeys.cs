using System.Security.Cryptography;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Idempotency;
using CrmTenancy.WebApi.Errors;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POST: a client may retry any POST safely. The first request with a key runs and its
/// answer is recorded for 24 hours, per tenant and caller; the same key with the same request (method, path, query,
/// content type and body) answers that first answer again (<c>Idempotent-Replayed: true</c>), the same key with another
/// request is a 409 <c>idempotency-key-reused</c>, and concurrent duplicates have one effect: the key is claimed in the
/// command's own transaction, so a duplicate waits for the first and then replays it. A failed request (rolled back)
/// records nothing, so it may be retried with its key. Requests without a tenant (sign-up, the OAuth2 endpoints) ignore
/// the header.
/// </summary>
public sealed class IdempotencyKeys(RequestDelegate next, ILogger<IdempotencyKeys> logger)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>How long a duplicate waits for the first request's answer to be recorded before it says "in progress".</summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(3);

    /// <summary>A claimed key without an answer after this long lost its answer (the process ended after the commit).</summary>
    private static readonly TimeSpan AnswerLostAfter = TimeSpan.FromMinutes(1);

    public async Task InvokeAsync(HttpContext context, ITenantContext tenant)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(Header, out var values) || !tenant.IsResolved)
        {
            await next(context);
            return;
        }
        // Resolved only for a request that sent a key: every other request pays nothing here.
        var caller = context.RequestServices.GetRequiredService<ICurrentUser>();
        var idempotent = context.RequestServices.GetRequiredService<IdempotentRequest>();
        var store = context.RequestServices.GetRequiredService<IdempotencyStore>();
        var key = values.Count == 1 ? values[0] : null;
        if (key is not { Length: > 0 and <= IdempotencyRecord.KeyMaxLength } || !key.All(ch => ch is > ' ' and <= '~'))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Bad Request", "bad-idempotency-key",
                $"{Header} must be one value of 1 to {IdempotencyRecord.KeyMaxLength} visible ASCII characters (a UUID, say).");
            return;
        }
        idempotent.Use(key, caller.Actor ?? "anonymous", await RequestHashAsync(context.Request));

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch (IdempotencyKeyTakenException)
        {
            context.Response.Body = original;
            context.Response.Clear();
            await ReplayAsync(context, idempotent, store);
            return;
        }
        finally
        {
            context.Response.Body = original;
        }

        if (idempotent.Claimed && context.Response.StatusCode < 500)
        {
            try
            {
                await store.CompleteAsync(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.Location,
                    context.Response.Headers.ETag, buffer.ToArray(), context.RequestAborted);
            }
            catch (Exception exception)
            {
                // The change is committed and answered; a retry with this key will say its answer was not kept.
                logger.LogWarning(exception, "The answer to a request with an Idempotency-Key could not be recorded");
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentRequest idempotent, IdempotencyStore store)
    {
        var waitUntil = DateTimeOffset.UtcNow + AnswerWait;
        var recorded = await store.FindAsync(context.RequestAborted);
        while (recorded is { Status: null } && recorded.RequestHash == idempotent.RequestHash && DateTimeOffset.UtcNow < waitUntil)
        {
            await Task.Delay(50, context.RequestAborted);
            recorded = await store.FindAsync(context.RequestAborted);
        }
        switch (recorded)
        {
            case null:
                // Expired between the claim and now: nothing to replay, and nothing was done by this request.
                context.Response.Headers.RetryAfter = "1";
                await Problems.Write(context, StatusCodes.Status409Conflict, "Conflict", "idempotency-key-in-progress",
                    "The request with this Idempotency-Key has just expired; send it again.");
                return;
            case { } other when other.RequestHash != idempotent.RequestHash:
                await Problems.Write(context, StatusCodes.Status409Conflict, "Conflict", "idempotency-key-reused",
                    $"This {Header} was used for another request (method, path or body); use a new key for a new request.");
                return;
            case { Status: null } pending when DateTimeOffset.UtcNow - pending.CreatedAt > AnswerLostAfter:
                await Problems.Write(context, StatusCodes.Status409Conflict, "Conflict", "idempotency-answer-lost",
                    "The request with this Idempotency-Key was carried out, but its answer was not kept; read the resource to see its state.");
                return;
            case { Status: null }:
                context.Response.Headers.RetryAfter = "1";
                await Problems.Write(context, StatusCodes.Status409Conflict, "Conflict", "idempotency-key-in-progress",
                    "A request with this Idempotency-Key is still being answered; retry shortly.");
                return;
            case { Status: { } status } answer:
                context.Response.StatusCode = status;
                context.Response.Headers[ReplayedHeader] = "true";
                if (answer.ContentType is not null)
                    context.Response.ContentType = answer.ContentType;
                if (answer.Location is not null)
                    context.Response.Headers.Location = answer.Location;
                if (answer.ETag is not null)
                    context.Response.Headers.ETag = answer.ETag;
                if (answer.Body is { Length: > 0 } body)
                    await context.Response.Body.WriteAsync(body, context.RequestAborted);
                return;
        }
    }

    /// <summary>SHA-256 of what makes two requests the same one: method, path and query, content type and body.</summary>
    private static async Task<string> RequestHashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n{request.ContentType}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            hash.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

public static class IdempotencyKeysOpenApi
{
    /// <summary>The document offers the header on every POST that needs a tenant (the ones that honour it).</summary>
    public static OpenApiOptions DescribeIdempotencyKeys(this OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        var needsTenant = context.Description.ActionDescriptor.EndpointMetadata
            .OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any();
        if (context.Description.HttpMethod == HttpMethods.Post && needsTenant && context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKeys.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes the POST safe to retry: the same key and request within 24 hours answers the first answer again, once.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyRecord.KeyMaxLength },
            });
        }
        return Task.CompletedTask;
    });
}
