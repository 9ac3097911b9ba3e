using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Jobs;

/// <summary>
/// A background job that runs one pass every <paramref name="interval"/>. A failed pass (the database down, say) is
/// logged and the next one tries again; stopping the host ends it. An interval of zero turns the job off (a test host
/// that runs its passes itself). Tests run one pass through the job's own method.
/// </summary>
public abstract class PeriodicService(TimeProvider clock, ILogger logger, string what, TimeSpan interval) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    /// <summary>One pass: returns how many rows it touched.</summary>
    protected abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, Clock, stoppingToken);
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "{What} failed; the next pass tries again", what);
            }
        }
    }
}
