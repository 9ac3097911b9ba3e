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
        var chain = new List<Exception>();
        for (var current = exception; current is not null; current = current.InnerException)
            chain.Add(current);
        // A server that does not answer (a timeout anywhere in the chain, as a broken stream may wrap one) is not retried:
        // a second attempt would only double the wait before the 503.
        if (chain.Any(e => e is TimeoutException or OperationCanceledException))
            return false;
        return chain.Any(e => e is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown }
                              or NpgsqlException { InnerException: IOException });
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
