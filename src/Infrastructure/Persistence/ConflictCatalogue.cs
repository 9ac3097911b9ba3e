using System.Collections.Frozen;
using CrmTenancy.Application.Common.Errors;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Implemented by an entity configuration whose unique indexes or constraints stand for business conflicts: it maps
/// their database names to the module's <see cref="Conflict"/>s, next to the indexes themselves, so that a conflict
/// found by the database at the save answers exactly as the handler's own check would.
/// </summary>
public interface IDeclaresConflicts
{
    static abstract IReadOnlyDictionary<string, Conflict> Conflicts { get; }
}

/// <summary>Every constraint name declared by an <see cref="IDeclaresConflicts"/> configuration of this assembly.</summary>
public static class ConflictCatalogue
{
    /// <summary>What an unclaimed unique index or exclusion constraint answers.</summary>
    public static readonly Conflict Duplicate = new("duplicate", "A record with the same unique value already exists.");

    private static readonly FrozenDictionary<string, Conflict> ByConstraint = Build();

    public static Conflict For(string? constraintName) =>
        constraintName is not null && ByConstraint.TryGetValue(constraintName, out var conflict) ? conflict : Duplicate;

    public static IReadOnlyDictionary<string, Conflict> All => ByConstraint;

    private static FrozenDictionary<string, Conflict> Build()
    {
        var all = new Dictionary<string, Conflict>(StringComparer.Ordinal);
        foreach (var type in typeof(ConflictCatalogue).Assembly.GetTypes()
                     .Where(t => t is { IsAbstract: false, IsInterface: false } && t.IsAssignableTo(typeof(IDeclaresConflicts))))
        {
            var declared = (IReadOnlyDictionary<string, Conflict>)type.GetProperty(nameof(IDeclaresConflicts.Conflicts))!.GetValue(null)!;
            foreach (var (constraint, conflict) in declared)
            {
                if (!all.TryAdd(constraint, conflict))
                    throw new InvalidOperationException($"The constraint {constraint} is declared twice in the conflict catalogue.");
            }
        }
        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
