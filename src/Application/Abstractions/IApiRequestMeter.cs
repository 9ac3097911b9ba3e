namespace CrmTenancy.Application.Abstractions;

/// <summary>The API requests a tenant made in the rate limiter's current window (one minute), as this instance counted them.</summary>
public interface IApiRequestMeter
{
    int RequestsThisMinute(Guid tenantId);
}
