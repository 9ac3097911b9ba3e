using System.Security.Cryptography;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// A tenant's clients on the request's context: the explicit tenant criterion below and row-level security (the
/// application role sees only the connection's tenant's clients) both bind every query. Changes are saved by the
/// command's unit of work.
/// </summary>
public sealed class ClientRegistry(CrmDbContext db, TimeProvider clock, Preconditions preconditions) : IClientRegistry
{
    public async Task<IReadOnlyList<ClientSummary>> ListAsync(Guid tenantId, CancellationToken cancellationToken) =>
        (await Of(tenantId).AsNoTracking().OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken)).Select(Summary).ToList();

    public async Task<ClientSummary?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        await Of(tenantId).AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } client ? Summary(client) : null;

    public Task<ClientWithSecret> RegisterAsync(
        Guid tenantId, string name, IReadOnlyList<string> scopes, IReadOnlyList<string> redirectUris, CancellationToken cancellationToken)
    {
        var secret = ClientSecretHasher.GenerateSecret();
        var clientId = "cli_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var client = CrmApplication.CreateConfidential(tenantId, clientId, name, ClientSecretHasher.Hash(secret), scopes, clock.GetUtcNow(), redirectUris);
        db.OAuthClients.Add(client);
        return Task.FromResult(new ClientWithSecret(Summary(client), secret));
    }

    public async Task<(string Secret, int Version)?> RotateSecretAsync(Guid tenantId, Guid id, int? expectedVersion, CancellationToken cancellationToken)
    {
        var client = await Of(tenantId).FirstOrDefaultAsync(c => c.Id == id && c.RevokedAt == null, cancellationToken);
        if (client is null)
            return null;
        Expect(client, expectedVersion);
        var secret = ClientSecretHasher.GenerateSecret();
        client.RotateSecret(ClientSecretHasher.Hash(secret), clock.GetUtcNow());
        return (secret, client.Version);
    }

    public async Task<bool> RevokeAsync(Guid tenantId, Guid id, int? expectedVersion, CancellationToken cancellationToken)
    {
        var client = await Of(tenantId).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (client is null)
            return false;
        Expect(client, expectedVersion);
        client.Revoke(clock.GetUtcNow());
        return true;
    }

    /// <summary>
    /// An If-Match precondition: refused now when the version read is not the one expected, and again at the save
    /// (the version is the concurrency token) when another change commits in between.
    /// </summary>
    private void Expect(CrmApplication client, int? expectedVersion)
    {
        if (expectedVersion is not { } expected)
            return;
        preconditions.Given = true;
        if (client.Version != expected)
            throw new PreconditionFailedException("Client");
        db.Entry(client).Property(c => c.Version).OriginalValue = expected;
    }

    private IQueryable<CrmApplication> Of(Guid tenantId) => db.OAuthClients.Where(c => c.TenantId == tenantId);

    private static ClientSummary Summary(CrmApplication c) =>
        new(c.Id, c.ClientId!, c.Name, c.AllowedScopes.ToArray(), c.RedirectUriList.ToArray(), c.CreatedAt, c.SecretRotatedAt, c.RevokedAt, c.Version);
}
