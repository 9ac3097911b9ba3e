using System.Data.Common;
using CrmTenancy.Application.Abstractions;
using Microsoft.EntityFrameworkCore.Diagnostics;

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
/// </summary>
public sealed class TenantConnectionInterceptor(ITenantContext tenant) : DbConnectionInterceptor
{
    public const string Setting = "app.tenant_id";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        try
        {
            SetTenant(connection);
        }
        catch (Exception exception) when (DeadConnections.IsDead(exception))
        {
            DeadConnections.Reopen(connection);
            SetTenant(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        try
        {
            await SetTenantAsync(connection, cancellationToken);
        }
        catch (Exception exception) when (DeadConnections.IsDead(exception))
        {
            await DeadConnections.ReopenAsync(connection, cancellationToken);
            await SetTenantAsync(connection, cancellationToken);
        }
    }

    private void SetTenant(DbConnection connection)
    {
        using var command = Command(connection);
        command.ExecuteNonQuery();
    }

    private async Task SetTenantAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT set_config('{Setting}', @tenant, false)";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "tenant";
        parameter.Value = tenant.IsResolved ? tenant.TenantId.ToString() : "";
        command.Parameters.Add(parameter);
        return command;
    }
}
