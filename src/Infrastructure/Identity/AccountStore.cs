using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// ASP.NET Core Identity's store for the product's accounts (tenant users and platform operators), on the
/// request's <see cref="CrmDbContext"/>. Users are found through the tenant query filter and row-level security,
/// so an email names a user only inside the scope's tenant (emails are unique per tenant, not globally).
/// The store never saves: the command's unit of work does, so a user and what goes with it (a new tenant, an
/// accepted invitation) commit together; sign-in saves its lockout counters itself.
/// </summary>
public sealed class AccountStore<TAccount>(CrmDbContext db) :
    IUserPasswordStore<TAccount>, IUserEmailStore<TAccount>, IUserLockoutStore<TAccount>, IUserSecurityStampStore<TAccount>
    where TAccount : Account
{
    private DbSet<TAccount> Accounts => db.Set<TAccount>();

    public Task<IdentityResult> CreateAsync(TAccount user, CancellationToken cancellationToken)
    {
        Accounts.Add(user);
        return Task.FromResult(IdentityResult.Success);
    }

    public Task<IdentityResult> UpdateAsync(TAccount user, CancellationToken cancellationToken)
    {
        if (db.Entry(user).State == EntityState.Detached)
            Accounts.Update(user);
        return Task.FromResult(IdentityResult.Success);
    }

    public Task<IdentityResult> DeleteAsync(TAccount user, CancellationToken cancellationToken) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "NotSupported", Description = "Accounts are deactivated, not deleted." }));

    public Task<TAccount?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var id) ? Accounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) : Task.FromResult<TAccount?>(null);

    public Task<TAccount?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindByEmailAsync(normalizedUserName, cancellationToken);

    public Task<TAccount?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        Accounts.FirstOrDefaultAsync(a => a.NormalizedEmail == normalizedEmail, cancellationToken);

    public Task<string> GetUserIdAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult(user.Id.ToString());

    // The email is the user name.
    public Task<string?> GetUserNameAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(TAccount user, string? userName, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string?> GetNormalizedUserNameAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(TAccount user, string? normalizedName, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetPasswordHashAsync(TAccount user, string? passwordHash, CancellationToken cancellationToken)
    {
        ((IAccountCredentials)user).PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(TAccount user, string? email, CancellationToken cancellationToken)
    {
        ((IAccountCredentials)user).Email = email ?? throw new ArgumentNullException(nameof(email));
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task<bool> GetEmailConfirmedAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult(user.EmailConfirmed);

    public Task SetEmailConfirmedAsync(TAccount user, bool confirmed, CancellationToken cancellationToken)
    {
        ((IAccountCredentials)user).EmailConfirmed = confirmed;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedEmailAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(TAccount user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        ((IAccountCredentials)user).NormalizedEmail = normalizedEmail ?? throw new ArgumentNullException(nameof(normalizedEmail));
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(TAccount user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        ((IAccountCredentials)user).LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult(++((IAccountCredentials)user).AccessFailedCount);

    public Task ResetAccessFailedCountAsync(TAccount user, CancellationToken cancellationToken)
    {
        ((IAccountCredentials)user).AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetLockoutEnabledAsync(TAccount user, bool enabled, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetSecurityStampAsync(TAccount user, string stamp, CancellationToken cancellationToken)
    {
        ((IAccountCredentials)user).SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(TAccount user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public void Dispose()
    {
    }
}
