using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>Who a one-time code signed in.</summary>
public sealed record CodeSignIn(Guid UserId, Guid TenantId, string SecurityStamp);

/// <summary>
/// Passwordless sign-in for the login page: a six-digit code sent by email (<see cref="SignInCode"/>), for the people of
/// tenants that allow it. Both steps answer the caller the same whether the organisation allows it, the address is an
/// account, or a code was sent: the page cannot be used to learn any of it. Wrong codes count against the account's
/// lockout like wrong passwords, and a code is refused after five wrong tries. Like the password form, the service
/// resolves the request's tenant from the organisation it is given (the sign-in path has no token).
/// </summary>
public sealed class SignInCodes(
    AuthLookups lookups, TenantContext tenant, CrmDbContext db, UserManager<User> users, IEmailSender email, TimeProvider clock)
{
    /// <summary>Sends a code when the organisation allows it and the address is one of its active accounts (at most three per ten minutes).</summary>
    public async Task RequestAsync(string organisation, string address, CancellationToken cancellationToken)
    {
        if (await AccountAsync(organisation, address, cancellationToken) is not { } user)
            return;
        var now = clock.GetUtcNow();
        var since = now - SignInCode.Lifetime;
        if (await db.Set<SignInCode>().CountAsync(c => c.UserId == user.Id && c.CreatedAt > since, cancellationToken) >= SignInCode.MaxPerLifetime)
            return;
        var (code, secret) = SignInCode.Issue(user.TenantId, user.Id, now);
        db.Add(code);
        await db.SaveChangesAsync(cancellationToken);
        await email.SendAsync(new EmailMessage(
            user.Email,
            "Your CrmTenancy sign-in code",
            $"""
            Your sign-in code for {organisation} is {secret}.

            It works once, for {SignInCode.Lifetime.TotalMinutes:0} minutes. If you did not ask for it, you can ignore this email.
            """), cancellationToken);
    }

    /// <summary>The account the code signs in, or null: a wrong, used, expired or exhausted code, or no such account.</summary>
    public async Task<CodeSignIn?> VerifyAsync(string organisation, string address, string code, CancellationToken cancellationToken)
    {
        if (await AccountAsync(organisation, address, cancellationToken) is not { } user || await users.IsLockedOutAsync(user))
            return null;
        var now = clock.GetUtcNow();
        var latest = await db.Set<SignInCode>()
            .Where(c => c.UserId == user.Id && c.UsedAt == null && c.ExpiresAt > now && c.Attempts < SignInCode.MaxAttempts)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var used = latest is not null && latest.TryUse(code, now);
        if (used)
        {
            await users.ResetAccessFailedCountAsync(user);
            user.RecordSignIn(now);
        }
        else
        {
            // Counts against the account's lockout like a wrong password; the code's own attempt is saved with it.
            await users.AccessFailedAsync(user);
        }
        try
        {
            // Used exactly once: the code's attempts and use are its concurrency token, so a second use (or try) at the
            // same moment fails.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }
        if (!used)
            return null;
        return new CodeSignIn(user.Id, user.TenantId, user.SecurityStamp);
    }

    private async Task<User?> AccountAsync(string organisation, string address, CancellationToken cancellationToken)
    {
        // Platform operators (no organisation) sign in with a password only.
        if (string.IsNullOrEmpty(organisation) || await lookups.TenantAllowingSignInCodesAsync(organisation, cancellationToken) is not { } tenantId)
            return null;
        tenant.Resolve(tenantId);
        return await users.FindByEmailAsync(address) is { IsActive: true } user ? user : null;
    }
}
