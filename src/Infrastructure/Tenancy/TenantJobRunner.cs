using CrmTenancy.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Infrastructure.Tenancy;

/// <summary>
/// A job gets its own DI scope, so its tenant context is new and its DbContext is leased from the pool and bound to
/// that tenant context (unbound when the scope ends); the tenant comes from the job's payload, never from whatever ran
/// on the thread before.
/// </summary>
public sealed class TenantJobRunner(IServiceScopeFactory scopes) : ITenantJobRunner
{
    public async Task RunAsync(Guid tenantId, Func<IServiceProvider, CancellationToken, Task> job, CancellationToken cancellationToken) =>
        await RunAsync<bool>(tenantId, async (services, token) =>
        {
            await job(services, token);
            return true;
        }, cancellationToken);

    public async Task<T> RunAsync<T>(Guid tenantId, Func<IServiceProvider, CancellationToken, Task<T>> job, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Resolve(tenantId);
        scope.ServiceProvider.GetRequiredService<JobScope>().IsJob = true;
        return await job(scope.ServiceProvider, cancellationToken);
    }
}

/// <summary>
/// Marks a scope as background work, so the caller is the job and never the HTTP request that may have started it
/// (the request's context flows into tasks it starts).
/// </summary>
public sealed class JobScope
{
    public const string Actor = "job";

    public bool IsJob { get; set; }

    /// <summary>Who the job acts as in audit fields (<see cref="Actor"/>, or the kind of job: "workflow").</summary>
    public string ActingAs { get; set; } = Actor;
}
