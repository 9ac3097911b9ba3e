using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.WebApi.SelfTest;

/// <summary>Which resource an id names: by its name (customerId → customers) or, for user references, by the model.</summary>
public static class ResourceNames
{
    /// <summary>
    /// Id properties that name a user rather than a resource of their own name (assigneeId → users), read from the
    /// model: the members of <see cref="IOwnedRecord"/> and every foreign key of the EF Core model to an account.
    /// </summary>
    private static readonly Dictionary<string, string> UserReferences = UserReferenceStems()
        .ToDictionary(stem => stem, _ => "users", StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="idName"/> (assigneeId) names a user.</summary>
    public static bool IsUserReference(string idName) =>
        idName.Length > 2 && idName.EndsWith("Id", StringComparison.Ordinal) && UserReferences.ContainsKey(idName[..^2]);

    private static IEnumerable<string> UserReferenceStems()
    {
        using var db = new CrmDbContext(new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres("Host=unused").Options);
        var foreignKeys = db.Model.GetEntityTypes().SelectMany(e => e.GetForeignKeys())
            .Where(fk => fk.PrincipalEntityType.ClrType.IsAssignableTo(typeof(Account)))
            .SelectMany(fk => fk.Properties.Select(p => p.Name).Where(n => n != nameof(ITenantOwned.TenantId)));
        return typeof(IOwnedRecord).GetProperties().Select(p => p.Name).Concat(foreignKeys)
            .Where(name => name.EndsWith("Id", StringComparison.Ordinal))
            .Select(name => name[..^2])
            .Distinct();
    }

    /// <summary>customerId → customers (also -es, -ies and kebab-case plurals), among the given resource names.</summary>
    public static string? ResourceForIdName(string name, IEnumerable<string> resources)
    {
        if (name.Length <= 2 || !name.EndsWith("Id", StringComparison.Ordinal))
            return null;
        var stem = name[..^2];
        if (UserReferences.TryGetValue(stem, out var alias))
            return resources.FirstOrDefault(r => r.Equals(alias, StringComparison.OrdinalIgnoreCase));
        var kebab = string.Concat(stem.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        var candidates = new[] { stem, kebab }
            .SelectMany(s => new[] { s + "s", s + "es", s.EndsWith('y') ? s[..^1] + "ies" : s, s })
            .ToList();
        return resources.FirstOrDefault(r => candidates.Contains(r, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The resource a path segment names: itself, or one it ends with (leaky-customers → customers).</summary>
    public static string? ResourceForSegment(string segment, IEnumerable<string> resources)
    {
        var list = resources.ToList();
        return list.FirstOrDefault(r => r.Equals(segment, StringComparison.OrdinalIgnoreCase))
               ?? list.OrderByDescending(r => r.Length).FirstOrDefault(r =>
                   segment.EndsWith("-" + r, StringComparison.OrdinalIgnoreCase) || segment.EndsWith("_" + r, StringComparison.OrdinalIgnoreCase));
    }
}
