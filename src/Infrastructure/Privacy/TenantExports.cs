using System.IO.Compression;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Privacy;
using CrmTenancy.Domain.Privacy;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CrmTenancy.Infrastructure.Privacy;

/// <summary>
/// Produces a requested tenant export once the request has committed (an outbox consumer: at least once, in the
/// tenant's own scope). Every table with a <c>tenant_id</c> the application role may read becomes one NDJSON file of the
/// zip, its rows read as the database writes them as JSON, secrets and internal columns left out; row-level security
/// is what keeps every other tenant's rows out, whatever the statement says. The zip is written to a temporary file as
/// the rows arrive, never held in memory, then stored with the export's row.
/// </summary>
public sealed class TenantExportProducer(CrmDbContext db, IRepository<TenantExport> exports, ITenantContext tenant, TimeProvider clock)
    : IIntegrationEventConsumer<TenantExportRequested>
{
    /// <summary>Tables that hold no tenant data to hand out: the export archives themselves, delivery state, token and code stores.</summary>
    private static readonly string[] SkippedTables =
    [
        "tenant_exports", "idempotency_records", "outbox_messages", "outbox_deliveries", "oidc_tokens", "oidc_authorizations",
        "sign_in_codes",
    ];

    /// <summary>Columns that are secrets or derived for indexes, left out of every row.</summary>
    private static readonly string[] SkippedColumns =
    [
        "password_hash", "security_stamp", "webhook_secret", "client_secret", "secret_hash", "token_hash", "code_hash", "search_text",
        "normalized_email", "normalized_name", "content",
    ];

    public async Task HandleAsync(TenantExportRequested integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        var export = await exports.FirstOrDefaultAsync(new ByIdSpecification<TenantExport>(tenant, integrationEvent.ExportId), cancellationToken);
        if (export is not { State: ExportState.Pending })
            return;
        var path = Path.Combine(Path.GetTempPath(), $"crm-export-{export.Id:N}.zip");
        try
        {
            var (tables, rows) = await WriteArchiveAsync(path, cancellationToken);
            await using var archive = File.OpenRead(path);
            var size = archive.Length;
            await db.Database.ExecuteSqlRawAsync("UPDATE tenant_exports SET content = @content WHERE tenant_id = @tenant AND id = @id",
                [
                    new NpgsqlParameter("content", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = archive },
                    new NpgsqlParameter<Guid>("tenant", tenant.TenantId), new NpgsqlParameter<Guid>("id", export.Id),
                ], cancellationToken);
            export.Complete(size, tables, rows, clock.GetUtcNow());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<(int Tables, long Rows)> WriteArchiveAsync(string path, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY($1)) AND has_table_privilege(c.oid, 'SELECT')
            ORDER BY c.relname
            """, connection))
        {
            list.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = SkippedTables });
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                tables.Add(reader.GetString(0));
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using (var file = File.Create(path))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            counts["tenants"] = await WriteTableAsync(zip, connection, "tenants",
                "SELECT (to_jsonb(t) - $1::text[])::text FROM tenants t WHERE t.id = $2", cancellationToken);
            foreach (var table in tables)
                counts[table] = await WriteTableAsync(zip, connection, table, $"SELECT (to_jsonb(t) - $1::text[])::text FROM {table} t WHERE t.tenant_id = $2", cancellationToken);
            var manifest = zip.CreateEntry("manifest.json", CompressionLevel.Fastest);
            await using var stream = manifest.Open();
            await System.Text.Json.JsonSerializer.SerializeAsync(stream, new
            {
                tenantId = tenant.TenantId,
                exportedAt = clock.GetUtcNow(),
                format = "One file per table: one JSON object per line (NDJSON), the table's columns by name.",
                tables = counts,
            }, cancellationToken: cancellationToken);
        }
        return (counts.Count, counts.Values.Sum());
    }

    private async Task<long> WriteTableAsync(ZipArchive zip, NpgsqlConnection connection, string table, string sql, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry($"{table}.ndjson", CompressionLevel.Fastest);
        await using var stream = entry.Open();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = SkippedColumns });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenant.TenantId });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var line = Encoding.UTF8.GetBytes(reader.GetString(0) + "\n");
            await stream.WriteAsync(line, cancellationToken);
            rows++;
        }
        return rows;
    }
}

/// <summary>Download links: the tenant and the export sealed with the product's data-protection key, with an expiry.</summary>
public sealed class ExportLinks(ISealedSecrets secrets, IOptions<TokenOptions> options, TimeProvider clock) : IExportLinks
{
    private const string Kind = "x";

    public string DownloadPath(Guid tenantId, Guid exportId, DateTimeOffset expires) =>
        $"{options.Value.Issuer.TrimEnd('/')}/api/privacy/exports/download?token=" +
        Uri.EscapeDataString(secrets.Seal($"{Kind}:{tenantId:N}:{exportId:N}", expires - clock.GetUtcNow()));

    public (Guid TenantId, Guid ExportId)? Open(string? token) =>
        token is { Length: > 0 and < 2048 } && secrets.Open(token) is { } opened && opened.Split(':') is [Kind, var tenant, var export]
        && Guid.TryParseExact(tenant, "N", out var tenantId) && Guid.TryParseExact(export, "N", out var exportId)
            ? (tenantId, exportId)
            : null;
}

/// <summary>An archive read from its row as it is sent: the bytes go from the database to the response in chunks.</summary>
public sealed class ExportArchives(CrmDbContext db) : IExportArchives
{
    public async Task<bool> CopyToAsync(Guid exportId, Stream output, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT content FROM tenant_exports WHERE id = $1 AND content IS NOT NULL",
                (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = exportId });
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return false;
            await using var content = reader.GetStream(0);
            await content.CopyToAsync(output, cancellationToken);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>
/// Deletes the archives of exports past their expiry, every <see cref="IntervalSetting"/> minutes: the platform role finds
/// the tenants that have one (it reads only the tenant, state and expiry of exports), and each tenant's archives are
/// deleted in a job of that tenant, under row-level security; the export's record stays, as expired.
/// </summary>
public sealed class ExportRetentionService(DbContexts contexts, ITenantJobRunner jobs, IConfiguration configuration, TimeProvider clock,
    ILogger<ExportRetentionService> logger)
    : PeriodicService(clock, logger, "Deleting expired export archives", TimeSpan.FromMinutes(configuration.GetValue(IntervalSetting, 60.0)))
{
    /// <summary>Minutes between passes; 0 turns the background passes off.</summary>
    public const string IntervalSetting = "Privacy:ExportPurgeMinutes";

    private const string Expire = """
        UPDATE tenant_exports SET content = NULL, state = 'Expired', version = version + 1, updated_at = {0}, updated_by = 'job'
        WHERE state = 'Ready' AND expires_at <= {0}
        """;

    /// <summary>One pass: returns how many archives were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        List<Guid> tenants;
        await using (var platform = contexts.Platform())
        {
            tenants = await platform.Database.SqlQueryRaw<Guid>(
                "SELECT DISTINCT tenant_id AS \"Value\" FROM tenant_exports WHERE state = 'Ready' AND expires_at <= {0}", now).ToListAsync(cancellationToken);
        }
        var deleted = 0;
        foreach (var tenant in tenants)
        {
            try
            {
                deleted += await jobs.RunAsync(tenant, (services, token) =>
                    services.GetRequiredService<CrmDbContext>().Database.ExecuteSqlRawAsync(Expire, [now], token), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Deleting the expired export archives of tenant {Tenant} failed; the next pass tries again", tenant);
            }
        }
        return deleted;
    }

    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => PurgeAsync(cancellationToken);
}

public sealed class PrivacyServices : IServiceModule
{
    public void Register(IServiceCollection services)
    {
        services.AddScoped<IPersonalData, PersonalData>();
        services.AddScoped<IExportArchives, ExportArchives>();
        services.AddSingleton<IExportLinks, ExportLinks>();
        services.AddSingleton<ExportRetentionService>();
        services.AddHostedService(provider => provider.GetRequiredService<ExportRetentionService>());
    }
}
