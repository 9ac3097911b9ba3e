using System.Text.Json;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;

namespace CrmTenancy.WebApi.SelfTest;

/// <summary>One failure of the self-test: which lock (or "endpoint" for the whole request path), where, what was expected and what happened.</summary>
public sealed record SelfTestFailure(string Lock, string Target, string Check, string Expected, string Actual);

/// <summary>What the self-test covered, so an operator can tell a passing run from an empty one.</summary>
public sealed record SelfTestCoverage(
    int ByIdOperations, int CrossLinkOperations, int ForeignCreates, int ListOperations, int ListRequests, int SingletonWrites,
    int ComparedResources, int RowLevelSecurityTables, int QueryFilterTypes, int SpecificationTypes, int LockChecksWithRowsOfA);

/// <summary>The answer of <c>POST /api/platform/isolation-self-test</c>, as recorded in the run's audit row.</summary>
public sealed record IsolationSelfTestReport(
    Guid Id, string Operator, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Passed, int ChecksRun,
    IReadOnlyList<SelfTestFailure> Failures, SelfTestCoverage Coverage, bool TenantsRemoved, IReadOnlyList<LockCheck> LockChecks);

/// <summary>
/// The operators' isolation self-test (docs/decisions/0030), against the live database and this instance's own request
/// pipeline: two throw-away tenants with identical data, every documented tenant operation of one tried through the other
/// by the <see cref="IsolationScanner"/> (by id, lists, search, foreign references, as each tenant's administrator with a
/// real token), then each isolation lock alone (<see cref="IsolationLockChecks"/>), then the throw-away tenants removed.
/// It touches no other tenant's rows: it creates its own, calls as their users, and deletes by their ids on connections
/// row-level security binds to them. One run at a time per instance; the run is audited before it starts.
/// </summary>
public sealed class IsolationSelfTest(
    ThrowawayTenants tenants, IsolationLockChecks locks, ISelfTestTransport transport, ICurrentUser caller, DbContexts contexts,
    TimeProvider clock, ILogger<IsolationSelfTest> logger)
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan OutboxWait = TimeSpan.FromSeconds(15);

    public async Task<IsolationSelfTestReport> RunAsync(CancellationToken cancellationToken)
    {
        if (!await OneAtATime.WaitAsync(TimeSpan.Zero, cancellationToken))
            throw new ConflictException("self-test-running", "An isolation self-test is already running on this instance; try again when it has answered.");
        try
        {
            return await RunAloneAsync(cancellationToken);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private async Task<IsolationSelfTestReport> RunAloneAsync(CancellationToken cancellationToken)
    {
        var @operator = caller.Actor ?? "unknown";
        var audit = IsolationSelfTestRun.Start(@operator, clock.GetUtcNow());
        await using (var db = contexts.Owner(new TenantContext(), caller))
        {
            db.Add(audit);
            await db.SaveChangesAsync(cancellationToken);
        }
        logger.LogInformation("Isolation self-test {Run} started by {Operator}", audit.Id, @operator);

        var run = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
        var failures = new List<SelfTestFailure>();
        var made = new List<ThrowawayTenant>();
        IsolationScanReport? scan = null;
        IReadOnlyList<LockCheck> lockChecks = [];
        // The run goes on when the caller goes away: the throw-away tenants must be removed either way.
        var work = CancellationToken.None;
        try
        {
            made.Add(await tenants.CreateAsync(run, "a", work));
            made.Add(await tenants.CreateAsync(run, "b", work));
            var (a, b) = (made[0], made[1]);
            using var clientA = await SelfTestSignIn.ClientAsync(transport, a, work);
            using var clientB = await SelfTestSignIn.ClientAsync(transport, b, work);
            var scanner = new IsolationScanner(clientA, clientB, [a.Id.ToString(), a.AdminEmail, a.ClientId, a.Slug],
                client => SeedBackgroundRowsAsync(client, () => tenants.WaitForOutboxAsync((client == clientA ? a : b).Id, OutboxWait, work)));
            scan = await scanner.ScanAsync();
            failures.AddRange(scan.Violations.Select(v => new SelfTestFailure("endpoint", $"{v.Method} {v.Path}", v.Check, v.Expected, v.Actual)));
            lockChecks = await locks.RunAsync(a.Id, b.Id, work);
            failures.AddRange(lockChecks.Where(c => !c.Passed).Select(c => new SelfTestFailure(c.Lock, c.Target, "B reaches A's rows", "none", c.Detail)));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Isolation self-test {Run} stopped", audit.Id);
            failures.Add(new SelfTestFailure("selfTest", "run", "the self-test runs to its end", "no error", $"{exception.GetType().Name}: {exception.Message}"));
        }

        var removed = true;
        foreach (var tenant in made)
        {
            try
            {
                await tenants.RemoveAsync(tenant.Id, work);
            }
            catch (Exception exception)
            {
                removed = false;
                logger.LogError(exception, "Isolation self-test {Run} could not remove throw-away tenant {Tenant}", audit.Id, tenant.Id);
                failures.Add(new SelfTestFailure("cleanup", tenant.Slug, "the throw-away tenant is removed", "removed", $"{exception.GetType().Name}: {exception.Message}"));
            }
        }

        var coverage = new SelfTestCoverage(
            scan?.ByIdOperations.Count ?? 0, scan?.CrossLinkOperations.Count ?? 0, scan?.ForeignCreates.Count ?? 0, scan?.ListOperations.Count ?? 0,
            scan?.ListRequests ?? 0, scan?.SingletonWrites.Count ?? 0, scan?.ComparedResources.Count ?? 0,
            lockChecks.Count(c => c.Lock == IsolationLockChecks.RowLevelSecurity), lockChecks.Count(c => c.Lock == IsolationLockChecks.QueryFilter),
            lockChecks.Count(c => c.Lock == IsolationLockChecks.Specification), lockChecks.Count(c => c.Covered));
        var checksRun = coverage.ByIdOperations + coverage.CrossLinkOperations + coverage.ForeignCreates + coverage.ListRequests
                        + coverage.SingletonWrites + coverage.ComparedResources + lockChecks.Count;
        var report = new IsolationSelfTestReport(audit.Id, @operator, audit.StartedAt, clock.GetUtcNow(), failures.Count == 0, checksRun,
            failures, coverage, removed, lockChecks);

        await using (var db = contexts.Owner(new TenantContext(), caller))
        {
            db.Attach(audit);
            audit.Finish(report.Passed, checksRun, failures.Count, JsonSerializer.Serialize(report, Json), report.FinishedAt);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        logger.LogInformation("Isolation self-test {Run} finished: {Checks} checks, {Failures} failures", audit.Id, checksRun, failures.Count);
        return report;
    }

    /// <summary>
    /// Rows that only background work makes, so a scan covers them too (the scanner's after-creates step): a tenant
    /// export (asked for without a body, which the scan's creates always send) and a lead captured after the scan's
    /// workflow exists, each followed by <paramref name="outboxDelivered"/> (the workflow's execution is made then).
    /// </summary>
    public static async Task SeedBackgroundRowsAsync(HttpClient client, Func<Task> outboxDelivered)
    {
        using (var export = await client.PostAsync("/api/privacy/exports", null))
            await EnsureSuccessAsync(export, "POST /api/privacy/exports");
        await outboxDelivered();
        using (var lead = await client.PostAsync("/api/leads", JsonContent.Create(new { firstName = "Late", lastName = "Capture" })))
            await EnsureSuccessAsync(lead, "POST /api/leads");
        await outboxDelivered();
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string request)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{request} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

public sealed class IsolationSelfTestServices : Application.Common.IServiceModule
{
    public void Register(IServiceCollection services)
    {
        services.AddScoped<IsolationSelfTest>();
        services.AddSingleton<ISelfTestTransport, ServerAddressTransport>();
    }
}
