namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// Runs background work for one tenant: a fresh scope whose tenant context, database connections (row-level
/// security) and audit stamps all carry that tenant, and nothing of the job before it. Every background job uses it.
/// </summary>
public interface ITenantJobRunner
{
    Task RunAsync(Guid tenantId, Func<IServiceProvider, CancellationToken, Task> job, CancellationToken cancellationToken);

    Task<T> RunAsync<T>(Guid tenantId, Func<IServiceProvider, CancellationToken, Task<T>> job, CancellationToken cancellationToken);
}
