using System.Collections.Frozen;
using System.Text.Json;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Infrastructure.Outbox;

/// <summary>The stored name and JSON of each integration event type of the domain: its class name, web JSON.</summary>
public static class IntegrationEventTypes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly FrozenDictionary<string, Type> ByName = typeof(IIntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static string NameOf(IIntegrationEvent integrationEvent) => integrationEvent.GetType().Name;

    public static string Serialize(IIntegrationEvent integrationEvent) =>
        JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType(), Json);

    public static IIntegrationEvent Deserialize(string type, string payload) =>
        ByName.TryGetValue(type, out var clrType)
            ? (IIntegrationEvent)JsonSerializer.Deserialize(payload, clrType, Json)!
            : throw new InvalidOperationException($"No integration event type is named '{type}'.");
}
