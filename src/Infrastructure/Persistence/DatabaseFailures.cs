using System.Net.Sockets;
using Npgsql;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>Tells a database that is down, going away or not answering (503, try again later) from a bug (500).</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// True when <paramref name="exception"/> or one it wraps says the database cannot be reached now: a refused or
    /// broken connection, a connect or command timeout, a server shutting down or starting (57P0x), connection
    /// exceptions (class 08), or no connection slots left. A refusal of the statement itself (a constraint, a
    /// deadlock) is not: the database answered.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                           || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                               or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException { IsTransient: true }:
                case TimeoutException:
                case SocketException:
                    return true;
            }
        }
        return false;
    }
}
