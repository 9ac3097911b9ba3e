using System.Diagnostics;
using System.Diagnostics.Metrics;
using CrmTenancy.Application.Abstractions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Application.Common.Behaviours;

/// <summary>Outermost: one log scope per request with its name and tenant, and a duration histogram.</summary>
public sealed class LoggingBehaviour<TRequest, TResponse>(
    ILogger<LoggingBehaviour<TRequest, TResponse>> logger, ITenantContext tenant)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var name = typeof(TRequest).Name;
        var tenantId = tenant.IsResolved ? tenant.TenantId.ToString() : "none";
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Request"] = name, ["TenantId"] = tenantId });
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await next();
        }
        catch (Exception exception)
        {
            outcome = exception.GetType().Name;
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            ApplicationMetrics.RequestDuration.Record(elapsed.TotalMilliseconds,
                new KeyValuePair<string, object?>("request", name), new KeyValuePair<string, object?>("outcome", outcome));
            logger.LogInformation("{Request} finished with {Outcome} in {ElapsedMs:F1} ms", name, outcome, elapsed.TotalMilliseconds);
        }
    }
}

public static class ApplicationMetrics
{
    public static readonly Meter Meter = new("CrmTenancy.Application");

    public static readonly Histogram<double> RequestDuration =
        Meter.CreateHistogram<double>("crm.request.duration", "ms", "Duration of commands and queries through the pipeline");
}
