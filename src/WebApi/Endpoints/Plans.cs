using CrmTenancy.Application.Platform;
using CrmTenancy.Application.Platform.ChangeTenantPlan;
using CrmTenancy.Application.Platform.ReactivateTenant;
using CrmTenancy.Application.Platform.SuspendTenant;
using CrmTenancy.Application.Plans;
using CrmTenancy.Application.Plans.GetUsage;
using CrmTenancy.Application.Plans.ListPlans;
using CrmTenancy.WebApi.Auth;
using MediatR;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// The plans and their limits, a tenant's usage of them, and what operators change about a tenant: its plan, its
/// suspension (platform.admin only, each change audited in the tenant's platform access records).
/// </summary>
public sealed class Plans : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/plans", ListPlans).WithTags("Plans").WithName("ListPlans").RequireAuthorization();
        app.MapGet("/api/tenant/usage", GetUsage).WithTags("Tenant").WithName("GetTenantUsage").RequireAuthorization(Policies.Read);

        var tenants = app.MapGroup("/api/platform/tenants/{tenantId:guid}").WithTags("Platform").RequireAuthorization(Policies.Platform);
        tenants.MapPut("plan", ChangePlan).WithName("PlatformChangeTenantPlan");
        tenants.MapPut("suspension", Suspend).WithName("PlatformSuspendTenant");
        tenants.MapDelete("suspension", Reactivate).WithName("PlatformReactivateTenant");
    }

    public sealed record PlanChange(string? Plan);

    public sealed record Suspension(string? Reason);

    public static Task<IReadOnlyList<PlanDto>> ListPlans(IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ListPlans(), cancellationToken);

    public static Task<UsageDto> GetUsage(IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new GetUsage(), cancellationToken);

    public static Task<TenantStateDto> ChangePlan(Guid tenantId, PlanChange body, IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ChangeTenantPlan(tenantId, body.Plan), cancellationToken);

    /// <summary>Suspends the tenant with the reason its administrators will see when they try to sign in.</summary>
    public static Task<TenantStateDto> Suspend(Guid tenantId, Suspension body, IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new SuspendTenant(tenantId, body.Reason), cancellationToken);

    public static Task<TenantStateDto> Reactivate(Guid tenantId, IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ReactivateTenant(tenantId), cancellationToken);
}
