using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;

namespace CrmTenancy.TestSupport;

/// <summary>A tenant made for a test, with a confidential client and its plain secret.</summary>
public sealed record TestTenant(Guid Id, string Slug, string ClientId, string ClientSecret);

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
        var secret = ClientSecretHasher.GenerateSecret();
        var clientId = $"{slug}-client";
        db.Tenants.Add(tenant);
        db.OAuthClients.Add(OAuthClient.CreateConfidential(
            tenant.Id, clientId, $"{slug} integration", ClientSecretHasher.Hash(secret), scopes.Length == 0 ? Scopes.Tenant : scopes, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        return new TestTenant(tenant.Id, slug, clientId, secret);
    }

    /// <summary>Adds another client to an existing tenant, e.g. one limited to crm.read.</summary>
    public static async Task<(string ClientId, string Secret)> AddClientAsync(CrmDbContext db, Guid tenantId, string clientId, params string[] scopes)
    {
        var secret = ClientSecretHasher.GenerateSecret();
        db.OAuthClients.Add(OAuthClient.CreateConfidential(tenantId, clientId, clientId, ClientSecretHasher.Hash(secret), scopes, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        return (clientId, secret);
    }
}
