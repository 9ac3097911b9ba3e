namespace CrmTenancy.Domain.Common;

/// <summary>
/// The one definition of how the product compares email addresses: trimmed, then upper case (ASP.NET Core Identity's
/// normaliser does the same), so that "Ann@Acme.test" and " ann@acme.test" are one address within a tenant.
/// </summary>
public readonly record struct EmailAddress
{
    private EmailAddress(string value) => Value = value;

    /// <summary>The address as given, trimmed.</summary>
    public string Value { get; }

    /// <summary>The key lookups and unique indexes compare.</summary>
    public string Normalized => Normalize(Value);

    /// <summary>A required address of at most <see cref="FieldLengths.Email"/> characters.</summary>
    public static EmailAddress From(string? email) => new(Guard.Required(email, FieldLengths.Email, "email"));

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    /// <summary>The normalised form of an optional address; none for a blank one.</summary>
    public static string? NormalizeOptional(string? email) => string.IsNullOrWhiteSpace(email) ? null : Normalize(email);

    public override string ToString() => Value;
}
