namespace CrmTenancy.Domain.Users;

/// <summary>
/// The credential fields of an <see cref="Account"/> as ASP.NET Core Identity's user store writes them (an explicit
/// interface, so no other code sets them by accident: it has to ask for this view by name). Domain code changes an
/// account through its methods.
/// </summary>
public interface IAccountCredentials
{
    string Email { get; set; }
    string NormalizedEmail { get; set; }
    string? PasswordHash { get; set; }
    string SecurityStamp { get; set; }
    int AccessFailedCount { get; set; }
    DateTimeOffset? LockoutEnd { get; set; }
    bool EmailConfirmed { get; set; }
}
