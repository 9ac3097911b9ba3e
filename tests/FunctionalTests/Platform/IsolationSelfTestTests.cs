using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace CrmTenancy.FunctionalTests.Platform;

/// <summary>
/// The operators' isolation self-test, run over real HTTP with real tokens against the test database: it passes on the
/// product as it is and leaves every other row of the database as it found it; it reports an endpoint that forgets the
/// tenant, and a table whose row-level security was opened, while the other locks hold; only platform.admin runs it.
/// </summary>
public sealed class IsolationSelfTestTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Run = "/api/platform/isolation-self-test";

    [Fact]
    public async Task The_self_test_passes_audits_the_run_and_leaves_every_other_row_as_it_was()
    {
        await CreateCustomerAsync(A, new { name = "Real tenant's customer", email = "real@a.example" });
        await CreateContactAsync(B, new { firstName = "Real", lastName = "Contact" });
        using var @operator = await PlatformOperatorAsync();
        Factory.WaitForOutbox();
        var before = await DigestAsync();

        using var response = await @operator.PostAsync(Run, null);
        var report = await Json(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, report.ToString());
        Assert.True(report.GetProperty("passed").GetBoolean(), report.GetProperty("failures").ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{report.GetProperty("checksRun")} checks from {report.GetProperty("startedAt")} to {report.GetProperty("finishedAt")}; {report.GetProperty("coverage")}");
        Assert.Empty(report.GetProperty("failures").EnumerateArray());
        Assert.True(report.GetProperty("tenantsRemoved").GetBoolean());
        var coverage = report.GetProperty("coverage");
        Assert.True(coverage.GetProperty("byIdOperations").GetInt32() >= 60, coverage.ToString());
        Assert.True(coverage.GetProperty("listOperations").GetInt32() >= 20, coverage.ToString());
        Assert.True(coverage.GetProperty("foreignCreates").GetInt32() >= 1, coverage.ToString());
        Assert.True(coverage.GetProperty("rowLevelSecurityTables").GetInt32() >= 30, coverage.ToString());
        Assert.True(coverage.GetProperty("queryFilterTypes").GetInt32() >= 20, coverage.ToString());
        Assert.True(coverage.GetProperty("specificationTypes").GetInt32() >= 10, coverage.ToString());
        // The locks were checked where A had rows: customers, contacts and leads at least, under each lock.
        var checks = report.GetProperty("lockChecks").EnumerateArray().ToList();
        foreach (var (lockName, target) in new[]
                 {
                     (IsolationLockChecks.RowLevelSecurity, "customers"), (IsolationLockChecks.RowLevelSecurity, "leads"),
                     (IsolationLockChecks.QueryFilter, "Customer"), (IsolationLockChecks.QueryFilter, "Contact"),
                     (IsolationLockChecks.Specification, "Customer"), (IsolationLockChecks.Specification, "Lead"),
                 })
        {
            Assert.Contains(checks, c => c.GetProperty("lock").GetString() == lockName && c.GetProperty("target").GetString() == target
                                         && c.GetProperty("covered").GetBoolean() && c.GetProperty("passed").GetBoolean());
        }

        // Every other row is as it was: no throw-away tenant, row or client is left, and no real tenant's row changed.
        Assert.Equal(before, await DigestAsync());

        // The run is audited, with its operator, and its report can be read again.
        var id = report.GetProperty("id").GetString();
        var runs = await Json(await @operator.GetAsync("/api/platform/isolation-self-tests"));
        var listed = Assert.Single(runs.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal("client:platform-operator", listed.GetProperty("operator").GetString());
        Assert.True(listed.GetProperty("passed").GetBoolean());
        Assert.Equal(report.GetProperty("checksRun").GetInt32(), listed.GetProperty("checks").GetInt32());
        var again = await Json(await @operator.GetAsync($"/api/platform/isolation-self-tests/{id}"));
        Assert.Equal(report.GetProperty("checksRun").GetInt32(), again.GetProperty("checksRun").GetInt32());
        using var missing = await @operator.GetAsync($"/api/platform/isolation-self-tests/{Guid.NewGuid()}");
        await AssertProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_self_test_reports_an_endpoint_that_forgets_the_tenant()
    {
        await using var leaky = LeakyApi.Create(Factory);
        using var @operator = await OperatorOnAsync(leaky);

        using var response = await @operator.PostAsync(Run, null);
        var report = await Json(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(report.GetProperty("passed").GetBoolean());
        var failures = report.GetProperty("failures").EnumerateArray().ToList();
        Assert.Contains(failures, f => f.GetProperty("lock").GetString() == "endpoint"
                                       && f.GetProperty("target").GetString() == $"GET {LeakyEndpointStartupFilter.Route}"
                                       && f.GetProperty("actual").GetString()!.StartsWith("200", StringComparison.Ordinal));
        Assert.All(failures, f => Assert.Equal($"GET {LeakyEndpointStartupFilter.Route}", f.GetProperty("target").GetString()));
        Assert.True(report.GetProperty("tenantsRemoved").GetBoolean());
        Assert.Equal(0, await ThrowawayTenantsLeftAsync());
    }

    [Fact]
    public async Task The_self_test_reports_a_table_whose_row_level_security_was_opened_while_the_other_locks_hold()
    {
        await ExecuteAsOwnerAsync("CREATE POLICY self_test_leak ON customers FOR SELECT TO crm_app USING (true)");
        try
        {
            using var @operator = await PlatformOperatorAsync();
            using var response = await @operator.PostAsync(Run, null);
            var report = await Json(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(report.GetProperty("passed").GetBoolean());
            var failures = report.GetProperty("failures").EnumerateArray().ToList();
            var leak = Assert.Single(failures, f => f.GetProperty("lock").GetString() == IsolationLockChecks.RowLevelSecurity);
            Assert.Equal("customers", leak.GetProperty("target").GetString());
            Assert.Contains("B read", leak.GetProperty("actual").GetString());
            // The query filter and the specifications still keep A's customers from B (and so every endpoint does): the
            // opened policy is the one failure.
            Assert.Single(failures);
            Assert.True(report.GetProperty("tenantsRemoved").GetBoolean());
        }
        finally
        {
            await ExecuteAsOwnerAsync("DROP POLICY IF EXISTS self_test_leak ON customers");
        }
    }

    [Fact]
    public async Task Only_a_platform_operator_runs_the_self_test_or_reads_its_runs()
    {
        var (_, admin) = await UserAsync(TenantA, "self-test-admin@a.example", UserRole.TenantAdmin);
        using var _ = admin;
        foreach (var client in new[] { admin, A, Anonymous() })
        {
            using var run = await client.PostAsync(Run, null);
            Assert.Contains(run.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
            using var list = await client.GetAsync("/api/platform/isolation-self-tests");
            Assert.Contains(list.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        }
        Assert.Equal(0, await ThrowawayTenantsLeftAsync());
    }

    /// <summary>An operator client on another host (a token is signed by the host that issues it).</summary>
    private async Task<HttpClient> OperatorOnAsync(WebApplicationFactory<Program> host)
    {
        var (id, secret) = await OAuthProtocol.AddPlatformClientAsync(Factory, "platform-operator-leaky");
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiFactory.TokenAsync(host, id, secret));
        return client;
    }

    private async Task<long> ThrowawayTenantsLeftAsync()
    {
        await using var connection = new NpgsqlConnection(Factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM tenants WHERE slug LIKE '{ThrowawayTenants.SlugPrefix}%'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsOwnerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A digest of every row of every table (as the owner, which row-level security does not bind in the test database's
    /// superuser connection), except the self-test's own audit: table → md5 of its rows in order.
    /// </summary>
    private async Task<string> DigestAsync()
    {
        await using var connection = new NpgsqlConnection(Factory.Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT relname::text FROM pg_class
            WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace AND relname NOT IN ('isolation_self_tests', '__EFMigrationsHistory')
            ORDER BY relname
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }
        var digest = new List<string>();
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{table}\" t", connection);
            digest.Add($"{table}={await rows.ExecuteScalarAsync()}");
        }
        return string.Join(Environment.NewLine, digest);
    }
}
