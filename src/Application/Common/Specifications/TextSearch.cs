namespace CrmTenancy.Application.Common.Specifications;

/// <summary>
/// Case-insensitive substring search usable inside specification criteria. Infrastructure translates
/// <see cref="Matches"/> to <c>lower(value) LIKE pattern</c>, which the trigram indexes serve; the
/// in-memory body gives the same answer for code that evaluates a specification without a database.
/// </summary>
public static class TextSearch
{
    public const int MaxTermLength = 100;
    private const char Escape = '\\';

    /// <summary>The LIKE pattern for a user's term: lowercased, wildcards escaped, wrapped in %.</summary>
    public static string Pattern(string term)
    {
        var escaped = term.Trim().ToLowerInvariant()
            .Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
        return $"%{escaped}%";
    }

    /// <summary>True when <paramref name="value"/> contains the term that <paramref name="pattern"/> was built from.</summary>
    public static bool Matches(string? value, string pattern)
    {
        if (value is null)
            return false;
        var term = pattern[1..^1]
            .Replace(@"\%", "%", StringComparison.Ordinal)
            .Replace(@"\_", "_", StringComparison.Ordinal)
            .Replace(@"\\", @"\", StringComparison.Ordinal);
        return value.ToLowerInvariant().Contains(term, StringComparison.Ordinal);
    }

    /// <summary>
    /// <see cref="Matches"/> for a value the store already keeps in lower case (a search text): translated to a plain
    /// <c>value LIKE pattern</c>, which a trigram index on the column itself serves even under row-level security
    /// (docs/decisions/0020), and which spares the database a lower() per row.
    /// </summary>
    public static bool MatchesLowerCase(string? value, string pattern) => Matches(value, pattern);

    public static char EscapeCharacter => Escape;
}
