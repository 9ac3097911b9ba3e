using System.Text.Json;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.SelfTest;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// The operators' isolation self-test (platform.admin): <c>POST /api/platform/isolation-self-test</c> runs it and answers
/// its report (200 whether it passed or not: <c>passed</c> and <c>failures</c> say which); every run is recorded first
/// and listed at <c>GET /api/platform/isolation-self-tests</c>, its report at <c>GET .../{id}</c>.
/// </summary>
public sealed class IsolationSelfTests : IEndpointGroup
{
    private const int Listed = 50;

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/platform").WithTags("Platform").RequireAuthorization(Policies.Platform);
        group.MapPost("isolation-self-test", Run).WithName("PlatformRunIsolationSelfTest");
        group.MapGet("isolation-self-tests", List).WithName("PlatformListIsolationSelfTests");
        group.MapGet("isolation-self-tests/{id:guid}", Get).WithName("PlatformGetIsolationSelfTest");
    }

    public sealed record SelfTestRunSummary(Guid Id, string Operator, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool? Passed, int Checks, int Failures);

    public static Task<IsolationSelfTestReport> Run(IsolationSelfTest selfTest, CancellationToken cancellationToken) =>
        selfTest.RunAsync(cancellationToken);

    public static async Task<IReadOnlyList<SelfTestRunSummary>> List(DbContexts contexts, CancellationToken cancellationToken)
    {
        await using var db = contexts.Owner(new TenantContext(), SystemActor.Instance);
        return await db.Set<IsolationSelfTestRun>().AsNoTracking().OrderByDescending(r => r.StartedAt).Take(Listed)
            .Select(r => new SelfTestRunSummary(r.Id, r.Operator, r.StartedAt, r.FinishedAt, r.Passed, r.Checks, r.Failures))
            .ToListAsync(cancellationToken);
    }

    public static async Task<IsolationSelfTestReport> Get(Guid id, DbContexts contexts, CancellationToken cancellationToken)
    {
        await using var db = contexts.Owner(new TenantContext(), SystemActor.Instance);
        var report = await db.Set<IsolationSelfTestRun>().AsNoTracking().Where(r => r.Id == id && r.Report != null).Select(r => r.Report)
            .SingleOrDefaultAsync(cancellationToken);
        return report is null
            ? throw new NotFoundException("Isolation self-test", id)
            : JsonSerializer.Deserialize<IsolationSelfTestReport>(report, JsonSerializerOptions.Web)!;
    }
}
