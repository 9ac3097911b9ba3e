using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CrmTenancy.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// What a request sends to PostgreSQL, read from Npgsql's own tracing (one activity per command or batch, with its
/// connection id) and tied to one request by its W3C trace id: a tenant's request checks its token in the batch that
/// opens its connection and runs its statements on that same connection.
/// </summary>
public sealed class RoundTripTests(ApiFactory factory) : ApiTest(factory), IDisposable
{
    private readonly ConcurrentBag<Activity> _commands = [];
    private readonly ActivityListener _listener = new()
    {
        // The host's request activity carries the traceparent's trace id to the commands it runs.
        ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _listener.ActivityStopped = activity =>
        {
            if (activity.Source.Name == "Npgsql" && activity.GetTagItem("db.query.text") is not null)
                _commands.Add(activity);
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task A_read_by_id_is_two_round_trips_on_one_connection_the_first_checking_the_token()
    {
        var id = (await CreateCustomerAsync(A, new { name = "Round trips" })).GetProperty("id").GetString();

        var commands = await TracedAsync(A, $"/api/customers/{id}", HttpStatusCode.OK);

        Assert.Equal(2, commands.Count);
        Assert.Single(commands.Select(c => c.GetTagItem("db.npgsql.connection_id")).Distinct());
        var opening = (string)commands[0].GetTagItem("db.query.text")!;
        Assert.Contains("set_config", opening);
        Assert.Contains("oidc_tokens", opening);
        var query = (string)commands[1].GetTagItem("db.query.text")!;
        Assert.Contains("FROM customers", query);
        // No owner scope, no owner predicate: one statement shape, which PostgreSQL can plan once.
        Assert.DoesNotContain("owner_id IS NULL", query);
    }

    [Fact]
    public async Task A_revoked_client_is_refused_by_the_opening_batch_and_nothing_else_runs()
    {
        // Used once first: its verified signature is remembered, and the revocation must still count at once.
        using (var first = await A.GetAsync("/api/customers"))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await using (var db = Factory.Database.Owner())
            await db.Database.ExecuteSqlRawAsync("UPDATE oidc_applications SET revoked_at = now() WHERE client_id = {0}", TenantA.ClientId);

        var commands = await TracedAsync(A, "/api/customers", HttpStatusCode.Unauthorized);

        Assert.Single(commands);
        Assert.Contains("oidc_tokens", (string)commands[0].GetTagItem("db.query.text")!);
    }

    [Fact]
    public async Task A_request_with_a_body_checks_its_token_on_a_connection_it_does_not_keep()
    {
        // A slow body must not hold a pooled connection: the check runs on the platform role, the command on its own.
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/customers") { Content = RawJson("""{"name":"With a body"}""") };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using (var response = await A.SendAsync(request))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var commands = _commands.Where(c => c.TraceId == trace).ToList();

        var check = Assert.Single(commands, c => ((string)c.GetTagItem("db.query.text")!).Contains("oidc_tokens"));
        var insert = Assert.Single(commands, c => ((string)c.GetTagItem("db.query.text")!).Contains("INSERT INTO customers", StringComparison.Ordinal));
        Assert.NotEqual(check.GetTagItem("db.npgsql.connection_id"), insert.GetTagItem("db.npgsql.connection_id"));
    }

    [Fact]
    public async Task A_client_credentials_token_reads_its_client_once_and_writes_nothing()
    {
        using var anonymous = Anonymous();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "client_credentials", ["client_id"] = TenantA.ClientId, ["client_secret"] = TenantA.ClientSecret });

        var commands = (await TracedAsync(anonymous, "/connect/token", HttpStatusCode.OK, HttpMethod.Post, form))
            .Select(c => (string)c.GetTagItem("db.query.text")!).ToList();

        // One statement in all: the client's read. An access token has no entry until it is revoked (ADR 0023).
        var statement = Assert.Single(commands, c => !c.Contains("set_config(", StringComparison.Ordinal));
        Assert.Contains("FROM oidc_applications", statement, StringComparison.Ordinal);
    }

    private async Task<List<Activity>> TracedAsync(HttpClient client, string url, HttpStatusCode expected, HttpMethod? method = null, HttpContent? body = null)
    {
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url) { Content = body };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return _commands.Where(c => c.TraceId == trace).OrderBy(c => c.StartTimeUtc).ToList();
    }

    public void Dispose() => _listener.Dispose();
}
