using System.Security.Cryptography;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Tenants.SignUp;
using CrmTenancy.Domain.Plans;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmTenancy.Infrastructure.Tenancy;

/// <summary>
/// A tenant made for the operators' isolation self-test, and everything needed to call the API as its administrator: a
/// confidential client of the tenant allowed the code flow to a redirect URI nobody serves (the code is read from the
/// redirect itself), with a secret that exists only in this run's memory.
/// </summary>
public sealed record ThrowawayTenant(Guid Id, string Slug, Guid AdminId, string AdminEmail, string Password, string ClientId, string ClientSecret)
{
    public const string RedirectUri = "https://isolation-self-test.invalid/callback";
}

/// <summary>
/// Makes and removes the isolation self-test's tenants. A tenant is made the way a sign-up makes one (the SignUp command,
/// as a job of the new tenant), then moved to the Enterprise plan so the scan meets no plan limit. It is removed
/// row by row as the owner role bound to that tenant: row-level security admits no other tenant's row to the deletes,
/// whatever their WHERE clause says.
/// </summary>
public sealed class ThrowawayTenants(ITenantJobRunner jobs, DbContexts contexts, TimeProvider clock)
{
    /// <summary>Every throw-away tenant's slug starts with this, so an operator can tell one in the tenant list.</summary>
    public const string SlugPrefix = "isolation-self-test-";

    private const string Domain = "isolation-self-test.invalid";

    public async Task<ThrowawayTenant> CreateAsync(string run, string label, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var slug = $"{SlugPrefix}{run}-{label}";
        var email = $"admin-{label}@{run}.{Domain}";
        var password = "St1!" + Secret(18);
        var signedUp = await jobs.RunAsync(id, (services, token) => services.GetRequiredService<IMediator>().Send(
            new SignUp(id, $"Isolation self-test {run} {label.ToUpperInvariant()}", slug, email, $"Self-test {label.ToUpperInvariant()}", password), token),
            cancellationToken);

        var clientId = $"{slug}-client";
        var secret = ClientSecretHasher.GenerateSecret();
        var tenant = new TenantContext();
        tenant.Resolve(id);
        await using var db = contexts.Owner(tenant, SystemActor.Instance);
        var row = await db.Tenants.SingleAsync(t => t.Id == id, cancellationToken);
        row.ChangePlan(Plan.Enterprise);
        db.OAuthClients.Add(CrmApplication.CreateConfidential(id, clientId, $"Isolation self-test {run} {label}", ClientSecretHasher.Hash(secret),
            [.. Scopes.Identity, Scopes.Read, Scopes.Write, Scopes.Admin], clock.GetUtcNow(), [ThrowawayTenant.RedirectUri]));
        await db.SaveChangesAsync(cancellationToken);
        return new ThrowawayTenant(id, slug, signedUp.UserId, email, password, clientId, secret);
    }

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) until the outbox has delivered every message of the tenant, so rows
    /// that background work makes from the tenant's changes (a workflow's executions) exist. False when time ran out.
    /// </summary>
    public async Task<bool> WaitForOutboxAsync(Guid tenantId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tenant = new TenantContext();
        tenant.Resolve(tenantId);
        await using var db = contexts.Application(tenant);
        var deadline = clock.GetUtcNow() + timeout;
        while (await db.OutboxMessages.AnyAsync(m => m.ProcessedAt == null && m.DeadAt == null, cancellationToken))
        {
            if (clock.GetUtcNow() > deadline)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(50), clock, cancellationToken);
        }
        return true;
    }

    /// <summary>
    /// Deletes every row of the tenant, in every table with a tenant_id column, then the tenant. Foreign keys decide an
    /// order, and triggers add rows as others go (usage counters, tally deltas), so the tables are passed over until a
    /// pass deletes nothing; a delete a foreign key refuses is undone to its savepoint and tried in the next pass.
    /// Only a tenant whose slug carries <see cref="SlugPrefix"/> is removed.
    /// </summary>
    public async Task RemoveAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var tenant = new TenantContext();
        tenant.Resolve(tenantId);
        await using var db = contexts.Owner(tenant, SystemActor.Instance);
        var slug = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Slug).SingleOrDefaultAsync(cancellationToken);
        if (slug is null)
            return;
        if (!slug.StartsWith(SlugPrefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"Tenant {tenantId} is not a throw-away tenant of the isolation self-test.");

        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(TablesWithTenantId, connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                tables.Add(reader.GetString(0));
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var pass = 0; pass < 20; pass++)
        {
            var deleted = 0;
            var refused = new List<string>();
            foreach (var table in tables)
            {
                await transaction.SaveAsync("row", cancellationToken);
                try
                {
                    await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE tenant_id = $1", connection, transaction)
                    {
                        Parameters = { new NpgsqlParameter<Guid> { TypedValue = tenantId } },
                    };
                    deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
                    await transaction.ReleaseAsync("row", cancellationToken);
                }
                catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
                {
                    await transaction.RollbackAsync("row", cancellationToken);
                    refused.Add(table);
                }
            }
            if (deleted == 0 && refused.Count == 0)
                break;
            if (deleted == 0)
                throw new InvalidOperationException($"Rows of tenant {tenantId} are still referenced: {string.Join(", ", refused)}.");
        }
        await using (var delete = new NpgsqlCommand("DELETE FROM tenants WHERE id = $1", connection, transaction)
                     {
                         Parameters = { new NpgsqlParameter<Guid> { TypedValue = tenantId } },
                     })
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The application's tables (not views) that have a tenant_id column, by name.</summary>
    private const string TablesWithTenantId = """
        SELECT c.relname::text
        FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p') AND c.relnamespace = current_schema()::regnamespace
        ORDER BY c.relname
        """;

    private static string Secret(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class IsolationSelfTestStoreServices : Application.Common.IServiceModule
{
    public void Register(IServiceCollection services)
    {
        services.AddScoped<ThrowawayTenants>();
        services.AddScoped<IsolationLockChecks>();
    }
}
