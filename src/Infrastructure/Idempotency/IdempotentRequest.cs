using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Idempotency;

/// <summary>
/// The request's Idempotency-Key, when it sent one (scoped; set by the API before the endpoint runs). The first
/// command of the request claims it in its own transaction (<see cref="IdempotencyStore.ClaimAsync"/>).
/// </summary>
public sealed class IdempotentRequest
{
    public string? Key { get; private set; }
    public string Caller { get; private set; } = "";
    public string RequestHash { get; private set; } = "";
    /// <summary>True once this request's command has claimed the key: its answer is to be recorded.</summary>
    public bool Claimed { get; internal set; }

    public void Use(string key, string caller, string requestHash) => (Key, Caller, RequestHash) = (key, caller, requestHash);
}

/// <summary>The key was already claimed by an earlier (or concurrent) request of the same caller: replay its answer.</summary>
public sealed class IdempotencyKeyTakenException() : Exception("The Idempotency-Key was already used by this caller.");

public sealed record RecordedAnswer(string RequestHash, DateTimeOffset CreatedAt, int? Status, string? ContentType, string? Location, string? ETag, byte[]? Body);

/// <summary>
/// Claims, completes and reads idempotency records on the request's context (the application role: row-level
/// security keeps them to the tenant). A record lives for <see cref="Retention"/>; an expired one is claimed afresh.
/// </summary>
public sealed class IdempotencyStore(CrmDbContext db, IdempotentRequest request, ITenantContext tenant, TimeProvider clock)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// In the command's open transaction: inserts the record, or takes over an expired one. When the caller's key is
    /// held by a committed record, throws <see cref="IdempotencyKeyTakenException"/> before the command does anything;
    /// when it is held by a transaction still running (a concurrent duplicate), PostgreSQL makes this wait for it.
    /// </summary>
    public async Task ClaimAsync(CancellationToken cancellationToken)
    {
        if (request.Key is not { } key || request.Claimed || !tenant.IsResolved)
            return;
        var now = clock.GetUtcNow();
        var claimed = await db.Database.SqlQuery<int>($"""
            INSERT INTO idempotency_records (tenant_id, caller, key, request_hash, created_at, expires_at)
            VALUES ({tenant.TenantId}, {request.Caller}, {key}, {request.RequestHash}, {now}, {now + Retention})
            ON CONFLICT (tenant_id, caller, key) DO UPDATE
                SET request_hash = excluded.request_hash, created_at = excluded.created_at, expires_at = excluded.expires_at,
                    status = NULL, content_type = NULL, location = NULL, e_tag = NULL, body = NULL
                WHERE idempotency_records.expires_at <= excluded.created_at
            RETURNING 1 AS "Value"
            """).ToListAsync(cancellationToken);
        if (claimed.Count == 0)
            throw new IdempotencyKeyTakenException();
        request.Claimed = true;
    }

    /// <summary>An attempt that claimed the key was rolled back: the next attempt claims it again.</summary>
    public void Forget() => request.Claimed = false;

    /// <summary>Records the answer of the request that claimed the key (after its command committed).</summary>
    public Task CompleteAsync(int status, string? contentType, string? location, string? etag, byte[] body, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE idempotency_records SET status = {status}, content_type = {contentType}, location = {location}, e_tag = {etag}, body = {body}
            WHERE tenant_id = {tenant.TenantId} AND caller = {request.Caller} AND key = {request.Key}
            """, cancellationToken);

    /// <summary>The record of the caller's key, if it exists and has not expired.</summary>
    public async Task<RecordedAnswer?> FindAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.Set<IdempotencyRecord>().AsNoTracking()
            .Where(r => r.TenantId == tenant.TenantId && r.Caller == request.Caller && r.Key == request.Key && r.ExpiresAt > now)
            .Select(r => new RecordedAnswer(r.RequestHash, r.CreatedAt, r.Status, r.ContentType, r.Location, r.ETag, r.Body))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
