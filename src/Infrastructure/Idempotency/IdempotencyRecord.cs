using CrmTenancy.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Idempotency;

/// <summary>
/// One POST sent with an Idempotency-Key: who sent it (tenant and caller), a digest of the request, and once it has
/// answered, the answer to replay. Claimed inside the command's transaction, so it exists exactly when the command's
/// effect does (docs/reliability.md).
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public const int KeyMaxLength = 255;
    public const int CallerMaxLength = 200;

    private IdempotencyRecord() { Caller = Key = RequestHash = ""; }

    public Guid TenantId { get; private set; }
    /// <summary>The caller the key belongs to: <c>user:&lt;id&gt;</c> or <c>client:&lt;client id&gt;</c>.</summary>
    public string Caller { get; private set; }
    public string Key { get; private set; }
    /// <summary>SHA-256 (hex) of the method, path, query, content type and body.</summary>
    public string RequestHash { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    /// <summary>The answer, once given (null while the first request is still being answered).</summary>
    public int? Status { get; private set; }
    public string? ContentType { get; private set; }
    public string? Location { get; private set; }
    public string? ETag { get; private set; }
    public byte[]? Body { get; private set; }
}

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(r => new { r.TenantId, r.Caller, r.Key });
        builder.HasOne<Domain.Tenants.Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Caller).HasMaxLength(IdempotencyRecord.CallerMaxLength);
        builder.Property(r => r.Key).HasMaxLength(IdempotencyRecord.KeyMaxLength);
        builder.Property(r => r.RequestHash).HasMaxLength(64).IsRequired();
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Location).HasMaxLength(2048);
        builder.Property(r => r.ETag).HasMaxLength(64);
        // The retention job deletes a tenant's expired records (its hourly cross-tenant look for tenants with any reads
        // the table through, which is kept to 24 hours of keys).
        builder.HasIndex(r => new { r.TenantId, r.ExpiresAt });
    }
}
