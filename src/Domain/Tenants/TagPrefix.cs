using System.Security.Cryptography;

namespace CrmTenancy.Domain.Tenants;

/// <summary>
/// A tenant's namespace on an external email platform that knows no tenants: "ct-" and 8 random base-36 characters
/// and "-" (36^8, about 2.8e12 values; the database's unique index settles the rare collision). Not derived from the
/// slug or the id, so it tells the platform nothing about the tenant.
/// </summary>
public static class TagPrefix
{
    public const string Lead = "ct-";
    public const int RandomLength = 8;
    public const int Length = 3 + RandomLength + 1;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string New() => $"{Lead}{RandomNumberGenerator.GetString(Alphabet, RandomLength)}-";

    public static bool IsWellFormed(string? value) =>
        value is { Length: Length } && value.StartsWith(Lead, StringComparison.Ordinal) && value[^1] == '-'
        && value.AsSpan(Lead.Length, RandomLength).IndexOfAnyExcept(Alphabet) < 0;
}
