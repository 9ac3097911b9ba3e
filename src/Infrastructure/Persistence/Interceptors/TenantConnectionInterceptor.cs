using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace CrmTenancy.Infrastructure.Persistence.Interceptors;

/// <summary>
/// The third lock's other half: every time the context opens a connection, it tells PostgreSQL whose tenant this
/// is (app.tenant_id, read by the row-level security policies), or that there is none (empty: no tenant rows).
/// It is set on every open, so a pooled connection never answers with the previous user's tenant; Npgsql also
/// resets session state when a connection returns to the pool.
/// <para>
/// Being the first statement on every connection the context opens, it is also where a pooled connection the server
/// dropped (a restart: 57P01) is found before any work was sent on it: the pool is cleared and the connection opened
/// afresh, once (<see cref="DeadConnections"/>), so the request does not fail for it.
/// </para>
/// <para>
/// A request with a tenant's token opens its connection early, from the bearer authentication, and sends that token's
/// per-request check (<see cref="CrmDbContext.OpeningCheck"/>) in the same batch: one round trip sets the tenant and
/// checks the token, and the request's own statements then run on that open connection.
/// </para>
/// </summary>
public sealed class TenantConnectionInterceptor : DbConnectionInterceptor
{
    public const string Setting = "app.tenant_id";

    /// <summary>The one instance: what differs per unit of work is read from the context being served.</summary>
    public static readonly TenantConnectionInterceptor Instance = new();

    private TenantConnectionInterceptor() { }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        try
        {
            SetTenant(connection, eventData.Context);
        }
        catch (Exception exception) when (DeadConnections.IsDead(exception))
        {
            DeadConnections.Reopen(connection);
            SetTenant(connection, eventData.Context);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        try
        {
            await SetTenantAsync(connection, eventData.Context, cancellationToken);
        }
        catch (Exception exception) when (DeadConnections.IsDead(exception))
        {
            await DeadConnections.ReopenAsync(connection, cancellationToken);
            await SetTenantAsync(connection, eventData.Context, cancellationToken);
        }
    }

    private static void SetTenant(DbConnection connection, DbContext? context)
    {
        if (context is CrmDbContext { OpeningCheck: not null })
            throw new InvalidOperationException("A token check is sent only when a connection opens asynchronously.");
        using var command = Command(connection, TenantOf(context));
        command.ExecuteNonQuery();
    }

    private static async Task SetTenantAsync(DbConnection connection, DbContext? context, CancellationToken cancellationToken)
    {
        if (context is CrmDbContext { OpeningCheck: { } check } && connection is NpgsqlConnection npgsql)
        {
            await using var batch = new NpgsqlBatch(npgsql);
            // The token's tenant: the scope's tenant is resolved only once the check has passed (RequestConnection).
            batch.BatchCommands.Add(new NpgsqlBatchCommand(SetConfig) { Parameters = { new NpgsqlParameter<string> { TypedValue = check.TenantId?.ToString() ?? "" } } });
            var checkCommand = new NpgsqlBatchCommand(check.Sql);
            checkCommand.Parameters.AddRange(check.Parameters());
            batch.BatchCommands.Add(checkCommand);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            check.Result = await check.ReadAsync(reader, cancellationToken);
            return;
        }
        await using var command = Command(connection, TenantOf(context));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string TenantOf(DbContext? context) =>
        context is CrmDbContext { Tenant: { IsResolved: true } tenant } ? tenant.TenantId.ToString() : "";

    private const string SetConfig = $"SELECT set_config('{Setting}', $1, false)";

    private static DbCommand Command(DbConnection connection, string tenant)
    {
        var command = connection.CreateCommand();
        command.CommandText = SetConfig;
        var parameter = command.CreateParameter();
        parameter.Value = tenant;
        command.Parameters.Add(parameter);
        return command;
    }
}
