using System.Security.Cryptography;
using System.Text;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Respawn;

namespace CrmTenancy.TestSupport;

/// <summary>
/// A real PostgreSQL database of its own for one test assembly, cloned from a migrated template database
/// (CREATE DATABASE ... TEMPLATE; a clone takes milliseconds where migrating takes seconds), and Respawn's reset
/// between tests. The cluster comes from ConnectionStrings__Crm, which the build script sets.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const long TemplateLock = 0x43524D54; // "CRMT"
    private readonly NpgsqlConnectionStringBuilder _server;
    private Respawner? _respawner;

    private TestDatabase(NpgsqlConnectionStringBuilder server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Crm") ?? "Host=127.0.0.1;Port=55433;Database=crm;Username=postgres";

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
        var template = await EnsureTemplateAsync(server);
        var name = $"crm_test_{purpose.ToLowerInvariant()}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        await Execute(admin, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return new TestDatabase(server, name);
    }

    /// <summary>A context on the owner role (a superuser here: row-level security does not apply to it).</summary>
    public CrmDbContext Owner() =>
        new(new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres(ConnectionString).Options);

    /// <summary>Empties every table but the migrations history and the plan catalogue (Respawn, PostgreSQL adapter; the table graph is read once).</summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            // The plan catalogue is seeded by its migration, like the schema itself.
            TablesToIgnore = [NpgsqlSetup.MigrationsHistoryTable, "plans", "plan_limits"],
            WithReseed = true,
        });
        await _respawner.ResetAsync(connection);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server.ConnectionString);
        await admin.OpenAsync();
        await Execute(admin, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    /// <summary>One template per set of migrations, created once under an advisory lock.</summary>
    private static async Task<string> EnsureTemplateAsync(NpgsqlConnectionStringBuilder server)
    {
        await using var probe = new CrmDbContext(new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres("Host=unused").Options);
        // Named after the migrations and the build of the assembly that holds them, so a migration edited in place
        // (before it is shared) never reuses a template built from its previous text.
        var migrations = NpgsqlSetup.MigrationsHistoryTable + ":" + string.Join(",", probe.Database.GetMigrations())
                         + ":" + typeof(CrmDbContext).Assembly.ManifestModule.ModuleVersionId;
        var template = "crm_template_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(migrations)))[..12];

        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        await Execute(admin, $"SELECT pg_advisory_lock({TemplateLock})");
        try
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", template);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await DropStaleTemplatesAsync(admin);
                // UTF-8 character classes whatever the cluster was created with, so lower() agrees with .NET.
                await Execute(admin, $"CREATE DATABASE \"{template}\" TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C'");
                var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = template, Pooling = false }.ConnectionString;
                await using var context = new CrmDbContext(new DbContextOptionsBuilder<CrmDbContext>().UseCrmPostgres(connection).Options);
                await context.Database.MigrateAsync();
            }
        }
        finally
        {
            await Execute(admin, $"SELECT pg_advisory_unlock({TemplateLock})");
        }
        return template;
    }

    /// <summary>Templates of earlier builds are no use any more.</summary>
    private static async Task DropStaleTemplatesAsync(NpgsqlConnection admin)
    {
        var stale = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT datname FROM pg_database WHERE datname LIKE 'crm\\_template\\_%'", admin))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                stale.Add(reader.GetString(0));
        }
        foreach (var name in stale)
            await Execute(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>Runs one statement (admin work of tests: databases, roles).</summary>
    public static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
