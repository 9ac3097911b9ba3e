using CrmTenancy.Domain.Tenants;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Identity.Server;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>A tenant as the sign-in page finds it: its suspension's reason, or none while it is active.</summary>
public sealed record TenantAtSignIn(Guid Id, string? SuspensionReason);

/// <summary>What the API needs to know, on every request, about the account or client a valid token names.</summary>
public sealed record TokenSubjectState(bool Active, string? StampDigest, RecordVisibility Visibility);

/// <summary>
/// The authorization server's reads before a tenant is known (a sign-in names an organisation, a token names a
/// subject), on the platform role: SELECT only, each query bound to one tenant or one client by its own criteria.
/// </summary>
public sealed class AuthLookups(DbContexts contexts, DatabaseConnections connections) : IDisposable
{
    /// <summary>The id of the active tenant with this slug if it lets its people sign in with a one-time code, or none.</summary>
    public Task<Guid?> TenantAllowingSignInCodesAsync(string slug, CancellationToken cancellationToken) =>
        ActiveTenantBySlugAsync(slug, codesOnly: true, cancellationToken);

    private async Task<Guid?> ActiveTenantBySlugAsync(string slug, bool codesOnly, CancellationToken cancellationToken)
    {
        var normalised = Slug.Normalize(slug);
        await using var db = contexts.Platform();
        return await db.Tenants.AsNoTracking()
            .Where(t => t.Slug == normalised && t.Status == TenantStatus.Active && (!codesOnly || t.PasswordlessSignIn))
            .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The tenant with this slug, with its suspension's reason when it is suspended; none when no tenant has the slug.</summary>
    public async Task<TenantAtSignIn?> TenantBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        var normalised = Slug.Normalize(slug);
        await using var db = contexts.Platform();
        return await db.Tenants.AsNoTracking().Where(t => t.Slug == normalised)
            .Select(t => new TenantAtSignIn(t.Id, t.Status == TenantStatus.Active ? null : t.SuspensionReason ?? "Suspended."))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>An active client by client id: a platform client, or one of an active tenant.</summary>
    public async Task<CrmApplication?> ActiveClientAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Platform();
        return await ActiveClient(db, clientId, cancellationToken);
    }

    // Compiled: every token request reads its client, and the query's translation is then looked up once, not per call.
    private static readonly Func<CrmDbContext, string, CancellationToken, Task<CrmApplication?>> ActiveClient =
        EF.CompileAsyncQuery((CrmDbContext db, string clientId, CancellationToken _) => db.OAuthClients.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.RevokedAt == null)
            .Where(c => c.TenantId == null || db.Tenants.Any(t => t.Id == c.TenantId && t.Status == TenantStatus.Active))
            .FirstOrDefault());

    /// <summary>
    /// Whether what a valid token names is still good, in one round trip: its token entry and authorization were not
    /// revoked (an access token revoked at /connect/revocation, a family revoked for a spent refresh token); its client is active (a tenant's client in an
    /// active tenant, and the token's own tenant for client credentials); for a person, the account is active, in an
    /// active tenant, and its security stamp is the one the token was issued with. Null when any of it fails.
    /// This is the check on the platform role's own data source, for tokens without a tenant (operators', platform
    /// clients'); a tenant's token is checked on the request's own connection, in the batch that opens it
    /// (<see cref="SubjectCheck"/>). A pooled connection the server dropped is replaced once (<see cref="DeadConnections"/>).
    /// </summary>
    public Task<TokenSubjectState?> CheckAsync(AccessTokenClaims token, CancellationToken cancellationToken) =>
        DeadConnections.ReadAsync(_checks, ct => CheckOnceAsync(token, ct), cancellationToken);

    private async Task<TokenSubjectState?> CheckOnceAsync(AccessTokenClaims token, CancellationToken cancellationToken)
    {
        if (SubjectCheck.For(token) is not { } check)
            return null;
        await using var command = _checks.CreateCommand(check.Sql);
        command.Parameters.AddRange(check.Parameters());
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        return await check.ReadAsync(reader, cancellationToken);
    }

    private readonly NpgsqlDataSource _checks = NpgsqlDataSource.Create(DatabaseConnections.WithAutoPrepare(connections.Platform));

    public void Dispose() => _checks.Dispose();
}

/// <summary>
/// The per-request check of one access token as one SQL statement (see <see cref="AuthLookups.CheckAsync"/>): it reads
/// only rows of the token's own tenant or the platform's, so it runs on the platform role or, for a tenant's token, on
/// the application role with the token's tenant set on the connection (row-level security shows it nothing else).
/// </summary>
public sealed class SubjectCheck
{
    private readonly AccessTokenClaims _token;
    private readonly Guid _accountId;

    private SubjectCheck(AccessTokenClaims token, Guid accountId, string sql)
    {
        _token = token;
        _accountId = accountId;
        Sql = sql;
    }

    /// <summary>The statement; parameters $1 to $5.</summary>
    public string Sql { get; }

    /// <summary>The token's tenant: the tenant the batch that runs the check sets on its connection.</summary>
    public Guid? TenantId => _token.TenantId;

    /// <summary>What the check found, once it ran on a connection that opened (see the tenant connection interceptor); null until then or when it failed.</summary>
    public TokenSubjectState? Result { get; set; }

    /// <summary>The check for this token, or none when the token cannot be good (a person's subject that is not an id).</summary>
    public static SubjectCheck? For(AccessTokenClaims token)
    {
        Guid accountId = default;
        if (token.IsUser && !Guid.TryParse(token.Subject, out accountId))
            return null;
        var sql = (token.IsUser, token.TenantId) switch
        {
            (false, _) => ClientSql,
            (true, null) => OperatorSql,
            (true, _) => UserSql,
        };
        return new SubjectCheck(token, accountId, sql);
    }

    public NpgsqlParameter[] Parameters() =>
    [
        new NpgsqlParameter<string> { TypedValue = _token.ClientId },
        new NpgsqlParameter { Value = (object?)_token.TenantId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
        new NpgsqlParameter<Guid> { TypedValue = _accountId },
        new NpgsqlParameter<Guid> { TypedValue = _token.TokenId },
        new NpgsqlParameter { Value = (object?)_token.AuthorizationId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
    ];

    /// <summary>Reads the statement's row: the state when all of it holds, otherwise null.</summary>
    public async Task<TokenSubjectState?> ReadAsync(System.Data.Common.DbDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken) || !reader.GetBoolean(0))
            return null;
        if (!_token.IsUser)
            return new TokenSubjectState(true, null, RecordVisibility.Shared);
        var state = new TokenSubjectState(true, SecurityStamps.Digest(reader.GetString(1)),
            Enum.TryParse<RecordVisibility>(reader.GetString(2), out var visibility) ? visibility : RecordVisibility.OwnerOnly);
        return state.StampDigest == _token.StampDigest ? state : null;
    }

    // $1 client id, $2 the token's tenant (null for none), $3 the account, $4 the token's id, $5 its authorization
    // (null for none); a missing authorization is false, not null. The token has no entry that is not valid (an access token gets one only when it is revoked,
    // docs/decisions/0023), and its authorization, if any, is valid (two primary-key probes: the authorization's is a
    // scalar subquery, because as EXISTS the planner hashed every valid authorization instead); an active client: not
    // revoked, and a platform client or one of an active tenant; for a person, a platform client or one of the person's tenant.
    private const string ActiveClient = """
        NOT EXISTS (SELECT 1 FROM oidc_tokens tk WHERE tk.id = $4 AND tk.status IS DISTINCT FROM 'valid')
        AND ($5::uuid IS NULL OR (SELECT a.status FROM oidc_authorizations a WHERE a.id = $5 AND a.tenant_id IS NOT DISTINCT FROM $2) IS NOT DISTINCT FROM 'valid')
        AND EXISTS (SELECT 1 FROM oidc_applications c WHERE c.client_id = $1 AND c.revoked_at IS NULL AND {0}
                AND (c.tenant_id IS NULL OR EXISTS (SELECT 1 FROM tenants ct WHERE ct.id = c.tenant_id AND ct.status = 'Active')))
        """;

    private static readonly string ClientSql =
        $"SELECT {string.Format(ActiveClient, "c.tenant_id IS NOT DISTINCT FROM $2")} AND $3::uuid IS NOT NULL";

    private static readonly string OperatorSql = $"""
        SELECT o.deactivated_at IS NULL AND {string.Format(ActiveClient, "c.tenant_id IS NULL")} AND $2::uuid IS NULL, o.security_stamp, 'Shared'
        FROM platform_operators o WHERE o.id = $3
        """;

    private static readonly string UserSql = $"""
        SELECT u.deactivated_at IS NULL AND t.status = 'Active' AND {string.Format(ActiveClient, "(c.tenant_id IS NULL OR c.tenant_id = u.tenant_id)")},
               u.security_stamp, t.record_visibility
        FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $3 AND u.tenant_id = $2
        """;

}
