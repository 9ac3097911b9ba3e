using CrmTenancy.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Infrastructure.Tenancy;

/// <summary>
/// A job gets its own DI scope, so its DbContext, tenant context and connection interceptor are new; the tenant
/// comes from the job's payload, never from whatever ran on the thread before.
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
        return await job(scope.ServiceProvider, cancellationToken);
    }
}
