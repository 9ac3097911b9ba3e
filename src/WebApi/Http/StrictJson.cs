using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CrmTenancy.Application.Common.Messaging;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// The API reads JSON bodies exactly as its document publishes them, and refuses the rest with a 400 naming the field:
/// <list type="bullet">
/// <item>an unknown field, including one the command takes from elsewhere (<c>id</c> from the route,
/// <c>expectedVersion</c> from If-Match: <see cref="JsonIgnoreAttribute"/> members are not fields of a body);</item>
/// <item>an enum value that is not exactly one of the published names (case aside): no number, no surrounding space,
/// no comma-joined flags;</item>
/// <item>in a whole replacement (<see cref="IReplacement"/>, a PUT), a left-out value that has no empty form
/// (an enum, a number, a flag), rather than resetting it to a default;</item>
/// <item>text with control characters (<see cref="AcceptableStringConverter"/>).</item>
/// </list>
/// </summary>
public static class StrictJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new StrictEnumConverter());
        options.Converters.Add(new AcceptableStringConverter());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Tighten);
    }

    private static void Tighten(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
            return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
            if (IsAlwaysIgnored(type.Properties[i]))
                type.Properties.RemoveAt(i);
        if (!typeof(IReplacement).IsAssignableFrom(type.Type))
            return;
        foreach (var property in type.Properties)
            if (property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
                property.IsRequired = true;
    }

    private static bool IsAlwaysIgnored(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>().Any(ignore => ignore.Condition == JsonIgnoreCondition.Always) ?? false;

    /// <summary>
    /// Gives the document what the custom converters hide from the schema generator: strings are strings, enums are
    /// strings with their camelCase names.
    /// </summary>
    public static OpenApiOptions DescribeStrictTypes(this OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        var type = context.JsonTypeInfo.Type;
        var nullable = context.JsonPropertyInfo?.IsSetNullable ?? false;
        if (type == typeof(string) && schema.Type is null)
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        if (context.JsonTypeInfo.ElementType == typeof(string) && schema.Items is null)
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        if (context.JsonTypeInfo.ElementType is { IsEnum: true } elementType && schema.Items is not OpenApiSchema { Enum.Count: > 0 })
            schema.Items = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. StrictEnumConverter.NamesOf(elementType).Select(name => (JsonNode)JsonValue.Create(name))],
            };
        if ((Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } enumType && schema.Enum is not { Count: > 0 })
        {
            var isNullable = Nullable.GetUnderlyingType(type) is not null;
            schema.Type = isNullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Enum = StrictEnumConverter.NamesOf(enumType).Select(name => (JsonNode)JsonValue.Create(name)).ToList();
            if (isNullable)
                schema.Enum.Add(null!);
        }
        return Task.CompletedTask;
    });
}

/// <summary>
/// An enum's published names (camelCase, as the API writes them), and the one rule for reading one back: a value is
/// one of those names, ignoring case, and nothing else (no number, no surrounding space, no comma-joined flags). JSON
/// bodies (<see cref="StrictEnumConverter"/>) and query values (<see cref="QueryEnum"/>) both read through it.
/// </summary>
public static class PublishedNames<TEnum> where TEnum : struct, Enum
{
    private static readonly Dictionary<string, TEnum> ByName = Enum.GetValues<TEnum>()
        .ToDictionary(value => JsonNamingPolicy.CamelCase.ConvertName(value.ToString()), StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<TEnum, string> ToName = ByName.ToDictionary(pair => pair.Value, pair => pair.Key);

    public static IReadOnlyCollection<string> All => ToName.Values;

    public static bool TryParse(string? name, out TEnum value) => ByName.TryGetValue(name ?? "", out value);

    public static string NameOf(TEnum value) =>
        ToName.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(TEnum).Name} has no member {value}.");
}

/// <summary>Enums as their published names (<see cref="PublishedNames{TEnum}"/>); anything else is refused.</summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    public static IEnumerable<string> NamesOf(Type enumType) => Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && PublishedNames<TEnum>.TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(PublishedNames<TEnum>.NameOf(value));
    }
}
