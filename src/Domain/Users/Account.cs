using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Users;

/// <summary>
/// Someone who signs in with an email and a password: a tenant's user, or a platform operator. The credential
/// fields (password hash, security stamp, lockout counters) are ASP.NET Core Identity's: its UserManager sets
/// them through the store and nothing else writes them.
/// </summary>
public abstract class Account : AggregateRoot
{
    public const int DisplayNameMaxLength = FieldLengths.Name;

    protected Account() { Email = null!; NormalizedEmail = null!; DisplayName = null!; SecurityStamp = ""; }

    public string Email { get; set; }
    /// <summary>The email as Identity's normaliser gives it (upper case), the key of sign-in lookups.</summary>
    public string NormalizedEmail { get; set; }
    public string DisplayName { get; protected set; }
    public string? PasswordHash { get; set; }
    /// <summary>Changes whenever the account's credentials or rights change; access tokens carry a digest of it.</summary>
    public string SecurityStamp { get; set; }
    public int AccessFailedCount { get; set; }
    public DateTimeOffset? LockoutEnd { get; set; }
    /// <summary>
    /// Whether the email is known to reach this person: true for an invited user (the invitation came by email) and
    /// for accounts the platform creates; false after a self-service sign-up, which sends nothing to confirm.
    /// Published as the OpenID Connect claim email_verified.
    /// </summary>
    public bool EmailConfirmed { get; set; }
    public DateTimeOffset? DeactivatedAt { get; protected set; }
    public DateTimeOffset? LastSignInAt { get; private set; }

    public bool IsActive => DeactivatedAt is null;

    public void Rename(string displayName) => DisplayName = Guard.Required(displayName, DisplayNameMaxLength, "displayName");

    public void RecordSignIn(DateTimeOffset at) => LastSignInAt = at;

    /// <summary>The address is known to reach the person (an invitation was delivered to it, or the platform vouches).</summary>
    public void ConfirmEmail() => EmailConfirmed = true;

    protected void SetIdentity(string email, string displayName)
    {
        Email = Guard.Required(email, FieldLengths.Email, "email");
        NormalizedEmail = Email.ToUpperInvariant();
        DisplayName = Guard.Required(displayName, DisplayNameMaxLength, "displayName");
        SecurityStamp = NewStamp();
    }

    /// <summary>Invalidates every access token issued before now (they carry the old stamp's digest).</summary>
    protected void RenewSecurityStamp() => SecurityStamp = NewStamp();

    private static string NewStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
