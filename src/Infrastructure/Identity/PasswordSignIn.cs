using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// Who a sign-in proved to be: the account, its tenant (none for a platform operator) and its security stamp; when the
/// tenant is suspended, the suspension instead (the password was right, but no session starts).
/// </summary>
public sealed record SignedInAccount(Guid Id, Guid? TenantId, string SecurityStamp, TenantSuspension? Suspension = null);

/// <summary>The suspension a right password met: its reason is for the tenant's administrators.</summary>
public sealed record TenantSuspension(bool ToAdministrator, string Reason);

/// <summary>
/// The login page's password check: an organisation's user (the organisation named by its slug), or a platform operator
/// when no organisation is given. Unknown organisations, unknown emails and locked accounts cost a password check too
/// and fail alike, so the answer says nothing about what exists. Lockout counters are saved with the account's version:
/// when parallel attempts on one account collide, the losers check again from the saved state, so parallel guessing
/// cannot slip past the failure count.
/// </summary>
public sealed class PasswordSignIn(
    AuthLookups lookups, TenantContext tenant, UserManager<User> users, UserManager<PlatformOperator> operators, CrmDbContext db, TimeProvider clock)
{
    /// <summary>A hash of a random password, so an unknown email costs what a known one does.</summary>
    private static readonly string DummyHash = new PasswordHasher<object>().HashPassword(new object(), Guid.NewGuid().ToString());

    public async Task<SignedInAccount?> SignInAsync(string? organisation, string email, string password, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            SignedInAccount? signedIn = null;
            if (string.IsNullOrEmpty(organisation))
            {
                signedIn = await CheckAsync(operators, email, password, a => new(a.Id, null, a.SecurityStamp));
            }
            else if (await lookups.TenantBySlugAsync(organisation, cancellationToken) is { } found)
            {
                tenant.Resolve(found.Id);
                signedIn = found.SuspensionReason is not { } reason
                    ? await CheckAsync(users, email, password, u => new(u.Id, u.TenantId, u.SecurityStamp))
                    : await CheckAsync(users, email, password,
                        u => new(u.Id, u.TenantId, u.SecurityStamp, new TenantSuspension(u.Role == UserRole.TenantAdmin, reason)), recordSignIn: false);
            }
            else
            {
                users.PasswordHasher.VerifyHashedPassword(null!, DummyHash, password);
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return signedIn;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                return null;
            }
        }
    }

    private async Task<SignedInAccount?> CheckAsync<TAccount>(
        UserManager<TAccount> manager, string email, string password, Func<TAccount, SignedInAccount> describe, bool recordSignIn = true)
        where TAccount : Account
    {
        var account = await manager.FindByEmailAsync(email);
        if (account is null)
        {
            manager.PasswordHasher.VerifyHashedPassword(null!, DummyHash, password);
            return null;
        }
        if (await manager.IsLockedOutAsync(account))
        {
            // A locked account costs a password check too, or the quick answer would say the email exists.
            manager.PasswordHasher.VerifyHashedPassword(account, DummyHash, password);
            return null;
        }
        if (!await manager.CheckPasswordAsync(account, password))
        {
            await manager.AccessFailedAsync(account);
            return null;
        }
        if (!account.IsActive)
            return null;
        await manager.ResetAccessFailedCountAsync(account);
        if (recordSignIn)
            account.RecordSignIn(clock.GetUtcNow());
        return describe(account);
    }
}
