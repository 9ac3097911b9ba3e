using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// Text the database cannot store (NUL) or that has no place in CRM data (other control characters but tab,
/// line feed and carriage return) is refused where it enters: JSON strings, query values and the path.
/// </summary>
public static class TextInput
{
    public static bool IsAcceptable(string? value) =>
        value is null || !value.Any(ch => char.IsControl(ch) && ch is not ('\t' or '\n' or '\r'));
}

/// <summary>Reads JSON strings, refusing control characters with a JsonException the problem handler names the field of.</summary>
public sealed class AcceptableStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return TextInput.IsAcceptable(value)
            ? value
            : throw new JsonException("The text contains control characters.");
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
