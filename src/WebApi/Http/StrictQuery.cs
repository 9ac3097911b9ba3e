namespace CrmTenancy.WebApi.Http;

/// <summary>
/// A query value bound to a number, a date or an id is read only in its plain form: minimal APIs parse with the
/// framework's lenient styles, which take <c>page=%201</c> (" 1") as 1. A value with spaces around it is a 400 naming
/// the parameter, like any other value of the wrong type. Applied to every endpoint by <c>MapEndpointGroups</c>.
/// </summary>
public static class StrictQuery
{
    /// <summary>Adds the check to each endpoint that binds such a value from the query (others pay nothing).</summary>
    public static void Apply(EndpointBuilder endpoint)
    {
        if (endpoint is RouteEndpointBuilder route)
        {
            var routeValues = route.RoutePattern.Parameters.Select(parameter => parameter.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            endpoint.FilterFactories.Add((context, next) => Filter(context, next, routeValues));
        }
    }

    private static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next, HashSet<string> routeValues)
    {
        var parsed = context.MethodInfo.GetParameters()
            .Where(parameter => parameter.Name is not null && !routeValues.Contains(parameter.Name) && IsParsedValue(parameter.ParameterType))
            .Select(parameter => parameter.Name!)
            .ToArray();
        if (parsed.Length == 0)
            return next;
        return invocation =>
        {
            var query = invocation.HttpContext.Request.Query;
            foreach (var name in parsed)
                foreach (var value in query[name])
                    if (value is { Length: > 0 } && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
                        throw new BadHttpRequestException($"Query parameter '{name}' must not have spaces around its value.");
            return next(invocation);
        };
    }

    private static bool IsParsedValue(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var underlying
        && (underlying.IsPrimitive || underlying == typeof(decimal) || underlying == typeof(Guid)
            || underlying == typeof(DateOnly) || underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset));
}
