using System.Globalization;
using CrmTenancy.Application.Common.Errors;
using Microsoft.Net.Http.Headers;

namespace CrmTenancy.WebApi.Http;

/// <summary>The aggregate version as a strong ETag, and the If-Match precondition that carries it back.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version an If-Match header asks for: none when the header is absent or "*"; a 400 when it is not an
    /// ETag this API gave out (one quoted version number).
    /// </summary>
    public static int? ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
            return null;
        // Strict: "1" "2" (two tags without a comma) is malformed, not one tag.
        if (EntityTagHeaderValue.TryParseStrictList([header], out var tags) && tags.Count == 1
            && int.TryParse(tags[0].Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            // A weak tag never matches under the strong comparison If-Match requires (RFC 9110 section 13.1.1).
            return tags[0].IsWeak ? throw new PreconditionFailedException("resource") : version;
        }
        throw new BadHttpRequestException("If-Match must be one ETag returned by this API, such as \"1234\".");
    }
}
