using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// A valid request body an endpoint shows in the OpenAPI document, for a body whose fields depend on each other (a
/// workflow's steps name each other) so that a body made field by field from the schema is not valid. Strings may
/// hold <see cref="Marker"/>, which a client fills with its own text (the isolation scanner does).
/// </summary>
public sealed record RequestExample(string Json)
{
    public const string Marker = "{text}";
}

public static class RequestExamplesOpenApi
{
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, string json) =>
        builder.WithMetadata(new RequestExample(json));

    public static OpenApiOptions DescribeRequestExamples(this OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().FirstOrDefault() is { } example
            && operation.RequestBody?.Content is { } content)
        {
            foreach (var media in content.Where(c => c.Key.Contains("json", StringComparison.Ordinal)))
                media.Value.Example = JsonNode.Parse(example.Json);
        }
        return Task.CompletedTask;
    });
}
