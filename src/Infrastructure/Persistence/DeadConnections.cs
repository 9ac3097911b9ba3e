using System.Data.Common;
using Npgsql;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// A pooled connection the server has dropped since it was last used: after a restart, every idle connection in the
/// pool answers its first statement with 57P01 (terminating connection due to administrator command) or a broken
/// stream. Where that first statement has done nothing yet, the pool is cleared (its other connections are as dead)
/// and the work is tried once more on a fresh connection. A database that is down or does not answer (refused,
/// timed out) is not retried: that fails fast as 503 (<see cref="DatabaseFailures"/>).
/// </summary>
public static class DeadConnections
{
    public static bool IsDead(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown;
                case NpgsqlException { InnerException: IOException }:
                    return true;
                case TimeoutException:
                    return false;
            }
        }
        return false;
    }

    /// <summary>Clears the connection's pool and opens it again, on a new physical connection.</summary>
    public static void Reopen(DbConnection connection)
    {
        connection.Close();
        if (connection is NpgsqlConnection npgsql)
            NpgsqlConnection.ClearPool(npgsql);
        connection.Open();
    }

    /// <inheritdoc cref="Reopen"/>
    public static async Task ReopenAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.CloseAsync();
        if (connection is NpgsqlConnection npgsql)
            NpgsqlConnection.ClearPool(npgsql);
        await connection.OpenAsync(cancellationToken);
    }

    /// <summary>Runs a read that opens its own connection from <paramref name="source"/>; once more after clearing the pool if that connection was dead.</summary>
    public static async Task<T> ReadAsync<T>(NpgsqlDataSource source, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read(cancellationToken);
        }
        catch (Exception exception) when (IsDead(exception))
        {
            source.Clear();
            return await read(cancellationToken);
        }
    }
}
