using Microsoft.AspNetCore.Http.Features;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// Refuses control characters in the path and query, and caps request bodies (Kestrel enforces the same limit on the socket; this also covers hosts without it and
/// answers early when Content-Length already says too much).
/// </summary>
public sealed class RequestLimits(RequestDelegate next)
{
    public const long MaxBodyBytes = 256 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = MaxBodyBytes;
        if (context.Request.ContentLength > MaxBodyBytes)
            throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
        if (!TextInput.IsAcceptable(context.Request.Path.Value))
            throw new BadHttpRequestException("The path contains control characters.");
        foreach (var (name, values) in context.Request.Query)
        {
            if (!TextInput.IsAcceptable(name) || values.Any(v => !TextInput.IsAcceptable(v)))
                throw new BadHttpRequestException($"Query parameter '{name}' contains control characters.");
        }
        return next(context);
    }
}
