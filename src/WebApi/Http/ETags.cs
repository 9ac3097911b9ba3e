using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace CrmTenancy.WebApi.Http;

/// <summary>The aggregate version as a strong ETag, and the If-Match precondition that carries it back.</summary>
public static class ETags
{
    public static string For(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version an If-Match header asks for: none when the header is absent or "*"; a 400 when it is not an
    /// ETag this API gave out (one quoted version number).
    /// </summary>
    public static uint? ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
            return null;
        if (EntityTagHeaderValue.TryParse(header.Trim(), out var tag) && !tag.IsWeak
            && uint.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return version;
        throw new BadHttpRequestException("If-Match must be one ETag returned by this API, such as \"1234\".");
    }
}
