using CrmTenancy.Application.Analytics;
using CrmTenancy.Application.Analytics.GetDashboard;
using CrmTenancy.WebApi.Auth;
using MediatR;

namespace CrmTenancy.WebApi.Endpoints;

public sealed class Analytics : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/analytics").WithTags("Analytics").RequireAuthorization(Policies.Read);
        read.MapGet("dashboard", Dashboard).WithName("GetDashboard");
    }

    /// <summary>The tenant dashboard; <c>from</c> (inclusive) and <c>to</c> (exclusive) bound the funnel, the weekly captures and the daily activities (default: the last 30 days).</summary>
    public static Task<DashboardDto> Dashboard(IMediator mediator, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, Guid? companyId = null) =>
        mediator.Send(new GetDashboard(from, to, companyId), cancellationToken);
}
