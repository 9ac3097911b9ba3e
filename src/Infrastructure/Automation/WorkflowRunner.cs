using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Workflows;
using CrmTenancy.Domain.Workflows;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// The durable workflow runner (docs/decisions/0026): due steps are rows of <c>workflow_step_runs</c>; every instance
/// of the product runs this loop, and PostgreSQL decides who runs what. The platform role finds the tenants with due
/// steps (it learns tenant ids only); each tenant's batch is a job of that tenant (row-level security binds it as it
/// binds a request) acting as "workflow", which claims up to <see cref="BatchSize"/> due steps with
/// <c>FOR UPDATE SKIP LOCKED</c> (another instance skips them), runs them, and commits their effects, their
/// deliveries and their completion in one transaction: a runner killed in the middle commits nothing, and the steps
/// are due again for the next claim. A batch that fails is rolled back and its steps are run one by one, so one
/// failing step retries (with backoff) or fails alone.
/// </summary>
public sealed class WorkflowRunner(DbContexts contexts, ITenantJobRunner jobs, TimeProvider clock, ILogger<WorkflowRunner> logger)
{
    public const int BatchSize = 100;
    public const string Actor = "workflow";
    private const int TenantsAtOnce = 4;

    /// <summary>Runs every step due now, tenant by tenant; returns how many steps ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var tenants = await DueWork.TenantsAsync(contexts, DueWork.Steps, clock.GetUtcNow(), cancellationToken);
        var ran = 0;
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = TenantsAtOnce, CancellationToken = cancellationToken }, async (tenant, token) =>
        {
            int claimed;
            do
            {
                claimed = await RunBatchAsync(tenant, token);
                Interlocked.Add(ref ran, claimed);
            }
            while (claimed == BatchSize && !token.IsCancellationRequested);
        });
        return ran;
    }

    private async Task<int> RunBatchAsync(Guid tenant, CancellationToken cancellationToken)
    {
        List<Guid> claimed = [];
        try
        {
            return await jobs.RunAsync(tenant, async (services, token) =>
            {
                var (unit, db, steps) = Begin(services);
                await unit.BeginAsync(token);
                var runs = await ClaimAsync(db, tenant, BatchSize, null, token);
                claimed = [.. runs.Select(r => r.Id)];
                await steps.RunAllAsync(runs, token);
                await unit.SaveChangesAsync(token);
                return runs.Count;
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (claimed.Count == 0)
            {
                logger.LogWarning(exception, "Claiming the workflow steps of tenant {Tenant} failed; the next pass tries again", tenant);
                return 0;
            }
            logger.LogInformation(exception, "A batch of {Count} workflow steps of tenant {Tenant} failed; running them one by one", claimed.Count, tenant);
            foreach (var id in claimed)
                await RunOneAsync(tenant, id, cancellationToken);
            return claimed.Count;
        }
    }

    /// <summary>One step in a transaction of its own; if it fails, its attempt is recorded in another.</summary>
    private async Task RunOneAsync(Guid tenant, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.RunAsync(tenant, async (services, token) =>
            {
                var (unit, db, steps) = Begin(services);
                await unit.BeginAsync(token);
                foreach (var run in await ClaimAsync(db, tenant, 1, id, token))
                    await steps.RunAsync(run, token);
                await unit.SaveChangesAsync(token);
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RecordFailureAsync(tenant, id, exception, cancellationToken);
            }
            catch (Exception recording) when (recording is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The step stays due; the next pass runs it again (its attempt is not counted).
                logger.LogWarning(recording, "Recording the failure of workflow step {Step} of tenant {Tenant} failed", id, tenant);
            }
        }
    }

    private Task RecordFailureAsync(Guid tenant, Guid id, Exception exception, CancellationToken cancellationToken) =>
            jobs.RunAsync(tenant, async (services, token) =>
            {
                var (unit, db, _) = Begin(services);
                await unit.BeginAsync(token);
                foreach (var run in await ClaimAsync(db, tenant, 1, id, token))
                {
                    var now = clock.GetUtcNow();
                    var permanent = exception is PermanentStepFailure or Application.EmailTemplates.TemplateRenderException
                        or Application.Common.Errors.NotFoundException or Domain.Common.DomainRuleException;
                    if (run.FailAttempt(exception.Message, now, permanent))
                    {
                        var execution = await db.Set<WorkflowExecution>().SingleAsync(e => e.Id == run.ExecutionId, token);
                        if (execution.State == ExecutionState.Running)
                            execution.Fail($"Step {run.StepId}: {exception.Message}", now);
                    }
                }
                await unit.SaveChangesAsync(token);
            }, cancellationToken);

    private static (IUnitOfWork Unit, CrmDbContext Db, WorkflowSteps Steps) Begin(IServiceProvider services)
    {
        services.GetRequiredService<JobScope>().ActingAs = Actor;
        return (services.GetRequiredService<IUnitOfWork>(), services.GetRequiredService<CrmDbContext>(), services.GetRequiredService<WorkflowSteps>());
    }

    /// <summary>Due pending steps of the tenant (or the one named), locked for this transaction; those another holds are skipped.</summary>
    private Task<List<WorkflowStepRun>> ClaimAsync(CrmDbContext db, Guid tenant, int limit, Guid? id, CancellationToken cancellationToken) =>
        (id is { } one
            ? db.Set<WorkflowStepRun>().FromSqlRaw(
                "SELECT * FROM workflow_step_runs WHERE tenant_id = {0} AND id = {1} AND state = 'Pending' FOR UPDATE SKIP LOCKED", tenant, one)
            : db.Set<WorkflowStepRun>().FromSqlRaw(
                "SELECT * FROM workflow_step_runs WHERE tenant_id = {0} AND state = 'Pending' AND due_at <= {1} ORDER BY due_at LIMIT {2} FOR UPDATE SKIP LOCKED",
                tenant, clock.GetUtcNow(), limit))
        .ToListAsync(cancellationToken);
}

/// <summary>Runs the runner's passes: at once while there is work, then every <c>Workflows:RunnerPollMilliseconds</c> (0: off).</summary>
public sealed class WorkflowRunnerService(WorkflowRunner runner, IConfiguration configuration, TimeProvider clock, ILogger<WorkflowRunnerService> logger)
    : PollingService(configuration, clock, logger, "The workflow runner's pass", runner.RunDueAsync);

/// <summary>The deliverer's passes, in a loop of their own: a slow receiver never holds up the steps.</summary>
public sealed class AutomationDelivererService(AutomationDeliverer deliverer, IConfiguration configuration, TimeProvider clock, ILogger<AutomationDelivererService> logger)
    : PollingService(configuration, clock, logger, "The automation deliverer's pass", deliverer.DeliverDueAsync);

/// <summary>A pass at once while it finds work, then every <c>Workflows:RunnerPollMilliseconds</c> (0: off, for tests that run passes themselves).</summary>
public abstract class PollingService(IConfiguration configuration, TimeProvider clock, ILogger logger, string what, Func<CancellationToken, Task<int>> pass)
    : BackgroundService
{
    public const string PollSetting = "Workflows:RunnerPollMilliseconds";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(configuration.GetValue(PollSetting, 500));
        if (poll <= TimeSpan.Zero)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var work = await pass(stoppingToken);
                if (work == 0)
                    await Task.Delay(poll, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "{What} failed; the next pass tries again", what);
                await Task.Delay(poll, clock, stoppingToken);
            }
        }
    }
}
