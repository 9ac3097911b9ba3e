namespace CrmTenancy.WebApi.Http;

/// <summary>
/// Enum query parameters, accepted in the same camelCase the API writes (and case-insensitively); minimal APIs
/// would accept only the exact C# member name. A value that is not a member is a 400 naming the parameter.
/// </summary>
public static class QueryEnum
{
    public static TEnum? Parse<TEnum>(string? value, string parameter) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return PublishedNames<TEnum>.TryParse(value, out var parsed)
            ? parsed
            : throw new BadHttpRequestException($"Query parameter '{parameter}' must be one of: {string.Join(", ", PublishedNames<TEnum>.All)}.");
    }
}
