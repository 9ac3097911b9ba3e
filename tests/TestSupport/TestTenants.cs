using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using Microsoft.AspNetCore.Identity;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;

namespace CrmTenancy.TestSupport;

/// <summary>A tenant made for a test, with a confidential client and its plain secret.</summary>
public sealed record TestTenant(Guid Id, string Slug, string ClientId, string ClientSecret);

/// <summary>A user made for a test, with the password to sign in with.</summary>
public sealed record TestUser(Guid Id, Guid TenantId, string Organisation, string Email, string Password, UserRole Role);

public static class TestTenants
{
    /// <summary>
    /// Adds a tenant and an integration client with the given scopes (every tenant scope by default). Pass a
    /// context on the owner role (<see cref="TestDatabase.Owner"/>): row-level security keeps the application role
    /// from creating rows outside its tenant.
    /// </summary>
    public static async Task<TestTenant> AddAsync(CrmDbContext db, string slug, params string[] scopes)
    {
        var tenant = Tenant.Create($"Tenant {slug}", slug);
        // Unlimited, so that tests of other things never meet a plan limit; the plan tests choose theirs.
        tenant.ChangePlan(Domain.Plans.Plan.Enterprise);
        var secret = ClientSecretHasher.GenerateSecret();
        var clientId = $"{slug}-client";
        db.Tenants.Add(tenant);
        db.OAuthClients.Add(Infrastructure.Identity.Server.CrmApplication.CreateConfidential(
            tenant.Id, clientId, $"{slug} integration", ClientSecretHasher.Hash(secret), scopes.Length == 0 ? Scopes.Tenant : scopes, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        return new TestTenant(tenant.Id, slug, clientId, secret);
    }

    public const string UserPassword = "correct horse battery staple";
    /// <summary>The public web client the platform configures, as the tests register it.</summary>
    public const string WebClientId = "test-web";
    public const string WebRedirectUri = "https://app.test/callback";

    /// <summary>Adds a user with a password to a tenant (on the owner role, like <see cref="AddAsync"/>).</summary>
    public static async Task<TestUser> AddUserAsync(CrmDbContext db, TestTenant tenant, string email, UserRole role, string password = UserPassword)
    {
        var user = User.Create(tenant.Id, email, email.Split('@')[0], role);
        ((IAccountCredentials)user).PasswordHash = new PasswordHasher<User>().HashPassword(user, password);
        user.ConfirmEmail();
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return new TestUser(user.Id, tenant.Id, tenant.Slug, email, password, role);
    }

    /// <summary>Adds the platform's public web client (no tenant, PKCE only) if it is not there.</summary>
    public static async Task AddWebClientAsync(CrmDbContext db)
    {
        if (db.OAuthClients.Any(c => c.ClientId == WebClientId))
            return;
        db.OAuthClients.Add(Infrastructure.Identity.Server.CrmApplication.CreatePublic(
            WebClientId, "Test web app", [.. Scopes.Identity, Scopes.Read, Scopes.Write, Scopes.Admin, Scopes.Platform], [WebRedirectUri], DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }

    /// <summary>Adds another client to an existing tenant, e.g. one limited to crm.read.</summary>
    public static async Task<(string ClientId, string Secret)> AddClientAsync(CrmDbContext db, Guid tenantId, string clientId, params string[] scopes)
    {
        var secret = ClientSecretHasher.GenerateSecret();
        db.OAuthClients.Add(Infrastructure.Identity.Server.CrmApplication.CreateConfidential(tenantId, clientId, clientId, ClientSecretHasher.Hash(secret), scopes, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        return (clientId, secret);
    }
}
