using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// The three database roles of the product (docs/decisions/0014). The owner runs migrations and seeds; the
/// application role owns no table, so PostgreSQL row-level security binds it to the tenant of each connection;
/// the platform role reads across tenants (SELECT only, by its own policy) for operators and the token endpoint.
/// <c>ConnectionStrings:Crm</c> is the owner's; <c>CrmApp</c> and <c>CrmPlatform</c> default to the same server and
/// database with the role names <see cref="AppRole"/> and <see cref="PlatformRole"/> (no password: local trust).
/// </summary>
public sealed record DatabaseConnections(string Owner, string App, string Platform)
{
    public const string AppRole = "crm_app";
    public const string PlatformRole = "crm_platform";

    public static DatabaseConnections From(IConfiguration configuration)
    {
        var owner = configuration.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm (the database owner's connection) is not set.");
        return new DatabaseConnections(
            owner,
            WithTimeouts(WithAutoPrepare(configuration.GetConnectionString("CrmApp") ?? AsRole(owner, AppRole))),
            WithTimeouts(WithAutoPrepare(configuration.GetConnectionString("CrmPlatform") ?? AsRole(owner, PlatformRole))));
    }

    /// <summary>
    /// A database that does not answer (a hung server, a network that drops packets) fails a request within a bounded
    /// time, as 503, instead of holding it: 5 s to connect, 15 s per command, unless the connection string says.
    /// </summary>
    public static string WithTimeouts(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Timeout"))
            builder.Timeout = 5;
        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
            builder.CommandTimeout = 15;
        return builder.ConnectionString;
    }

    /// <summary>
    /// The application repeats a small set of statements: Npgsql prepares them after two uses, which saves the
    /// planning that row-level security makes dearer (docs/performance.md). An explicit setting is kept.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        // Only when the key is absent: "Max Auto Prepare=0" (behind a transaction pooler, say) is kept.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
            return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    public static string AsRole(string connectionString, string role) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = null }.ConnectionString;
}
