using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// Refuses control characters in the path and query, a JSON body in any charset but UTF-8 (RFC 8259: JSON exchanged
/// between systems is UTF-8; an unknown charset would otherwise fail deep in the reader), and caps request bodies (Kestrel enforces the same limit on the socket; this also covers hosts without it and
/// answers early when Content-Length already says too much). An endpoint that takes more (a transcript's import) says
/// so with its own <see cref="IRequestSizeLimitMetadata"/>, which this honours.
/// </summary>
public sealed class RequestLimits(RequestDelegate next)
{
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// Kestrel's limits, chosen rather than inherited (docs/reliability.md): a client that sends its headers or its body
    /// too slowly, or reads the response too slowly, loses its connection instead of holding a slot.
    /// </summary>
    public static void ApplyTo(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = MaxBodyBytes;
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestHeaderCount = 100;
        limits.MaxRequestLineSize = 8 * 1024;
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(120);
        limits.MinRequestBodyDataRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.MinResponseDataRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
            throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
        if (!TextInput.IsAcceptable(context.Request.Path.Value))
            throw new BadHttpRequestException("The path contains control characters.");
        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            && contentType.MediaType.Value?.EndsWith("json", StringComparison.OrdinalIgnoreCase) == true
            && contentType.Charset.HasValue
            && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !contentType.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            throw new BadHttpRequestException(
                $"A JSON body must be UTF-8, not charset '{contentType.Charset}'.", StatusCodes.Status415UnsupportedMediaType);
        foreach (var (name, values) in context.Request.Query)
        {
            if (!TextInput.IsAcceptable(name) || values.Any(v => !TextInput.IsAcceptable(v)))
                throw new BadHttpRequestException($"Query parameter '{name}' contains control characters.");
        }
        return next(context);
    }
}
