using System.Collections.Concurrent;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Plans;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace CrmTenancy.Infrastructure.Plans;

/// <summary>
/// Each tenant's API requests per minute, as its plan sets it (null: unlimited), read on the platform role and kept for
/// <see cref="CacheFor"/>: the request path pays no query for it, and a plan change reaches every instance within that time.
/// </summary>
public sealed class ApiRequestLimits(DbContexts contexts, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async ValueTask<int?> PerMinuteAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue<Limit>(tenantId, out var known))
            return known!.PerMinute;
        await using var db = contexts.Platform();
        var perMinute = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Join(db.Set<Plan>(), t => t.PlanCode, p => p.Code, (t, p) => p)
            .SelectMany(p => p.Limits).Where(l => l.Resource == PlanResources.ApiRequestsPerMinute)
            .Select(l => l.Maximum).FirstOrDefaultAsync(cancellationToken);
        cache.Set(tenantId, new Limit(perMinute), CacheFor);
        return perMinute;
    }

    private sealed record Limit(int? PerMinute);
}

/// <summary>The API requests each tenant made in the current minute on this instance (refused ones included).</summary>
public sealed class ApiRequestMeter(TimeProvider clock) : IApiRequestMeter
{
    // One counter per tenant, updated in place: every authenticated request passes here, and allocates nothing.
    private readonly ConcurrentDictionary<Guid, Window> _windows = new();

    public void Count(Guid tenantId)
    {
        var minute = Minute();
        var window = _windows.GetOrAdd(tenantId, _ => new Window());
        lock (window)
        {
            if (window.Minute != minute)
                (window.Minute, window.Count) = (minute, 0);
            window.Count++;
        }
    }

    public int RequestsThisMinute(Guid tenantId)
    {
        if (!_windows.TryGetValue(tenantId, out var window))
            return 0;
        lock (window)
            return window.Minute == Minute() ? window.Count : 0;
    }

    private long Minute() => clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    private sealed class Window
    {
        public long Minute;
        public int Count;
    }
}
