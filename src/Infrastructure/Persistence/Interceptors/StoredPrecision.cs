using CrmTenancy.Application.Abstractions;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace CrmTenancy.Infrastructure.Persistence.Interceptors;

/// <summary>
/// PostgreSQL keeps timestamps to the microsecond and numerics to their column's scale; .NET keeps 100 ns ticks and a
/// decimal's own scale. Values about to be written are brought to the stored precision on the entity itself, so an
/// answer made from the saved entity (<see cref="ICommittedResources"/>) is the one a read would give.
/// </summary>
public static class StoredPrecision
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static void Apply(EntityEntry entry)
    {
        foreach (var property in entry.Properties)
        {
            switch (property.CurrentValue)
            {
                case DateTimeOffset at when at.Ticks % TicksPerMicrosecond != 0:
                    property.CurrentValue = at.AddTicks(-(at.Ticks % TicksPerMicrosecond));
                    break;
                case DateTime at when at.Ticks % TicksPerMicrosecond != 0:
                    property.CurrentValue = at.AddTicks(-(at.Ticks % TicksPerMicrosecond));
                    break;
                case decimal amount when property.Metadata.GetScale() is { } scale && amount.Scale != scale:
                    // Equal decimals of another scale (0 and 0.00) are no change to EF: set the member itself.
                    Write(property, AtScale(amount, scale));
                    break;
            }
        }
    }

    private static void Write(PropertyEntry property, object value)
    {
        if (property.Metadata.FieldInfo is { } field)
            field.SetValue(property.EntityEntry.Entity, value);
        else if (property.Metadata.PropertyInfo is { CanWrite: true } member)
            member.SetValue(property.EntityEntry.Entity, value);
        else
            property.CurrentValue = value;
    }

    /// <summary>Rounded to <paramref name="scale"/> digits and written with exactly that many (0 as 0.00).</summary>
    private static decimal AtScale(decimal amount, int scale) =>
        Math.Round(amount, scale, MidpointRounding.ToEven) + new decimal(0, 0, 0, false, (byte)scale);
}
