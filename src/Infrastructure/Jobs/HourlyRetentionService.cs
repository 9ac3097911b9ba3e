using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Jobs;

/// <summary>
/// A retention job: once an hour it deletes what has expired. A failed pass is logged and the next one tries again;
/// stopping the host ends it. Tests run one pass with <see cref="DeleteExpiredAsync"/>.
/// </summary>
public abstract class HourlyRetentionService(TimeProvider clock, ILogger logger, string what) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected TimeProvider Clock { get; } = clock;

    /// <summary>One pass: returns how many rows were deleted.</summary>
    public abstract Task<int> DeleteExpiredAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, Clock, stoppingToken);
                await DeleteExpiredAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Deleting expired {What} failed; the next pass tries again", what);
            }
        }
    }
}
