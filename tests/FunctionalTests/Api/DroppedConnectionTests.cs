using System.Net;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// After a database restart every idle pooled connection is dead, and its first statement fails with 57P01
/// (terminating connection due to administrator command). The first request on each pool must not pay for it: the
/// pool is cleared and the request runs on a fresh connection. pg_terminate_backend ends the backends exactly as a
/// restart does, without stopping the cluster the other tests use.
/// </summary>
public sealed class DroppedConnectionTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Requests_after_the_server_dropped_every_pooled_connection_succeed()
    {
        // The test databases' connections are not pooled; this host's are, as in production.
        await using var pooled = Factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:CrmApp", Pooled(DatabaseConnections.AppRole));
            builder.UseSetting("ConnectionStrings:CrmPlatform", Pooled(DatabaseConnections.PlatformRole));
        });
        // Warm every pool: the token endpoint (platform role), the per-request token check and the request's context (app role).
        using var client = await ApiFactory.ClientForAsync(pooled, TenantA);
        await CreateCustomerAsync(client, new { name = "Before the restart" });
        using (var warm = await client.GetAsync("/api/customers"))
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        var dropped = await TerminateBackendsAsync();
        Assert.True(dropped >= 2, $"the pools should have held connections to drop: {dropped}");

        using (var list = await client.GetAsync("/api/customers"))
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using (var created = await client.PostAsync("/api/customers", RawJson("""{"name":"After the restart"}""")))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotEmpty(await ApiFactory.TokenAsync(pooled, TenantA.ClientId, TenantA.ClientSecret));
        Assert.Equal(2, (await Json(await client.GetAsync("/api/customers"))).GetProperty("totalCount").GetInt32());
    }

    private string Pooled(string role) =>
        new NpgsqlConnectionStringBuilder(Factory.Database.ConnectionString) { Username = role, Password = null, Pooling = true }.ConnectionString;

    private async Task<int> TerminateBackendsAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(Factory.Database.ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}
