using CrmTenancy.Infrastructure.Persistence;
using Npgsql;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// Which failures <see cref="DeadConnections"/> retries on a fresh connection: a connection the server ended (57P01,
/// 57P02, a broken stream), never one that timed out, which would only double the wait of a frozen server.
/// </summary>
public sealed class DeadConnectionsTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "terminated by the administrator (a restart)", Postgres(PostgresErrorCodes.AdminShutdown), true },
        { "a crash of another backend", Postgres(PostgresErrorCodes.CrashShutdown), true },
        { "the same, wrapped by EF Core", new InvalidOperationException("transient", Postgres(PostgresErrorCodes.AdminShutdown)), true },
        { "a broken stream", new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), true },
        { "a statement that timed out", new NpgsqlException("Exception while reading from stream", new TimeoutException()), false },
        { "a broken stream that was a timeout", new NpgsqlException("Exception while reading from stream", new IOException("read", new TimeoutException())), false },
        { "a cancelled request", new NpgsqlException("cancelled", new OperationCanceledException()), false },
        { "a deadlock", Postgres(PostgresErrorCodes.DeadlockDetected), false },
        { "a refused connection", new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111)), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_a_connection_the_server_ended_is_retried(string failure, Exception exception, bool retried) =>
        Assert.True(DeadConnections.IsDead(exception) == retried, failure);

    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);
}
