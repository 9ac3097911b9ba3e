using System.Globalization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmTenancy.Infrastructure.Plans;

/// <summary>A metered limit taken in the caller's transaction, through the counting function the triggers use.</summary>
public sealed class PlanUsage(CrmDbContext db, ITenantContext tenant) : IPlanUsage
{
    public async Task<bool> TryUseThisMonthAsync(string resource, int amount, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<bool>(
                $"SELECT app_count_usage({tenant.TenantId}, {resource}, {amount}, true, false) AS \"Value\"")
            .SingleAsync(cancellationToken);
}

/// <summary>The database's refusal of an increase past a plan's limit, as the outcome the API answers (403 plan-limit).</summary>
public static class PlanLimitFailures
{
    public static PlanLimitExceededException? From(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: UsageMigrations.PlanLimitSqlState } postgres
                && postgres.MessageText.Split(' ') is ["plan-limit", var resource, var plan, var limit, var used])
            {
                return new PlanLimitExceededException(resource, plan,
                    int.Parse(limit, CultureInfo.InvariantCulture), int.Parse(used, CultureInfo.InvariantCulture));
            }
        }
        return null;
    }
}

public sealed class PlanServices : IServiceModule
{
    public void Register(IServiceCollection services)
    {
        services.AddScoped<IPlanUsage, PlanUsage>();
        services.AddMemoryCache();
        services.AddSingleton<ApiRequestLimits>();
        services.AddSingleton<ApiRequestMeter>();
        services.AddSingleton<IApiRequestMeter>(sp => sp.GetRequiredService<ApiRequestMeter>());
    }
}
