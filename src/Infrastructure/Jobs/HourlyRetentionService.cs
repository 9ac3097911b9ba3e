using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Jobs;

/// <summary>
/// A retention job: once an hour it deletes what has expired. Tests run one pass with <see cref="DeleteExpiredAsync"/>.
/// </summary>
public abstract class HourlyRetentionService(TimeProvider clock, ILogger logger, string what)
    : PeriodicService(clock, logger, $"Deleting expired {what}", TimeSpan.FromHours(1))
{
    /// <summary>One pass: returns how many rows were deleted.</summary>
    public abstract Task<int> DeleteExpiredAsync(CancellationToken cancellationToken);

    protected sealed override Task<int> RunOnceAsync(CancellationToken cancellationToken) => DeleteExpiredAsync(cancellationToken);
}
