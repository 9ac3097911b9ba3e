using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Users;

/// <summary>
/// Someone who signs in with an email and a password: a tenant's user, or a platform operator. The credential
/// fields (password hash, security stamp, lockout counters) are ASP.NET Core Identity's: its UserManager writes them
/// through the store, by the explicit <see cref="IAccountCredentials"/>, and nothing else does.
/// </summary>
public abstract class Account : AggregateRoot, IAccountCredentials
{
    public const int DisplayNameMaxLength = FieldLengths.Name;
    /// <summary>Long enough for any passphrase, short enough that hashing it is cheap.</summary>
    public const int PasswordMaxLength = 256;

    protected Account() { Email = null!; NormalizedEmail = null!; DisplayName = null!; SecurityStamp = ""; }

    public string Email { get; private set; }
    /// <summary>The email as Identity's normaliser gives it (upper case), the key of sign-in lookups.</summary>
    public string NormalizedEmail { get; private set; }
    public string DisplayName { get; protected set; }
    public string? PasswordHash { get; private set; }
    /// <summary>Changes whenever the account's credentials or rights change; access tokens carry a digest of it.</summary>
    public string SecurityStamp { get; private set; }
    public int AccessFailedCount { get; private set; }
    public DateTimeOffset? LockoutEnd { get; private set; }
    /// <summary>
    /// Whether the email is known to reach this person: true for an invited user (the invitation came by email) and
    /// for accounts the platform creates; false after a self-service sign-up, which sends nothing to confirm.
    /// Published as the OpenID Connect claim email_verified.
    /// </summary>
    public bool EmailConfirmed { get; private set; }
    public DateTimeOffset? DeactivatedAt { get; protected set; }
    public DateTimeOffset? LastSignInAt { get; private set; }

    public bool IsActive => DeactivatedAt is null;

    public void RecordSignIn(DateTimeOffset at) => LastSignInAt = at;

    /// <summary>The address is known to reach the person (an invitation was delivered to it, or the platform vouches).</summary>
    public void ConfirmEmail() => EmailConfirmed = true;

    protected void SetIdentity(string email, string displayName)
    {
        var address = EmailAddress.From(email);
        Email = address.Value;
        NormalizedEmail = address.Normalized;
        DisplayName = Guard.Required(displayName, DisplayNameMaxLength, "displayName");
        SecurityStamp = NewStamp();
    }

    string IAccountCredentials.Email { get => Email; set => Email = value; }
    string IAccountCredentials.NormalizedEmail { get => NormalizedEmail; set => NormalizedEmail = value; }
    string? IAccountCredentials.PasswordHash { get => PasswordHash; set => PasswordHash = value; }
    string IAccountCredentials.SecurityStamp { get => SecurityStamp; set => SecurityStamp = value; }
    int IAccountCredentials.AccessFailedCount { get => AccessFailedCount; set => AccessFailedCount = value; }
    DateTimeOffset? IAccountCredentials.LockoutEnd { get => LockoutEnd; set => LockoutEnd = value; }
    bool IAccountCredentials.EmailConfirmed { get => EmailConfirmed; set => EmailConfirmed = value; }

    /// <summary>Invalidates every access token issued before now (they carry the old stamp's digest).</summary>
    protected void RenewSecurityStamp() => SecurityStamp = NewStamp();

    private static string NewStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
