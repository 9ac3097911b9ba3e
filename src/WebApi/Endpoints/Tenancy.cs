using System.Text.Json.Serialization;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Application.Tenants.AllowPasswordlessSignIn;
using CrmTenancy.Application.Tenants.ChangeRecommendationSettings;
using CrmTenancy.Application.Tenants.ChangeRecordVisibility;
using CrmTenancy.Application.Tenants.GetTenantSettings;
using CrmTenancy.Application.Tenants.SignUp;
using CrmTenancy.Application.Users.AcceptInvitation;
using CrmTenancy.Application.Users.GetMe;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Infrastructure.Tenancy;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>Sign-up, accepting an invitation (both anonymous), the caller (/api/me) and the tenant's settings.</summary>
public sealed class Tenancy : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/signup", SignUp).WithTags("Sign-up").WithName("SignUp").AllowAnonymous().RequireRateLimiting(SignInRateLimits.SignUp);
        app.MapPost("/api/invitations/accept", AcceptInvitation).WithTags("Sign-up").WithName("AcceptInvitation").AllowAnonymous()
            .RequireRateLimiting(SignInRateLimits.SignUp);
        app.MapGet("/api/me", Me).WithTags("Me").WithName("GetMe").RequireAuthorization();
        var settings = app.MapGroup("/api/tenant/settings").WithTags("Tenant");
        settings.MapGet("", GetSettings).WithName("GetTenantSettings").RequireAuthorization(Policies.Read);
        settings.MapPut("record-visibility", ChangeVisibility).WithName("ChangeRecordVisibility").RequireAuthorization(Policies.TenantAdmin);
        settings.MapPut("passwordless-sign-in", AllowPasswordless).WithName("AllowPasswordlessSignIn").RequireAuthorization(Policies.TenantAdmin);
        settings.MapPut("recommendations", ChangeRecommendations).WithName("ChangeRecommendationSettings").RequireAuthorization(Policies.TenantAdmin);
    }

    public sealed record SignUpRequest(string OrganisationName, string Slug, string Email, string DisplayName, string Password);

    public sealed record AcceptInvitationRequest(string Token, string DisplayName, string Password);

    public sealed record VisibilityChange(RecordVisibility? RecordVisibility);

    /// <summary>Whether one-time codes by email may replace the password at sign-in; always sent (true or false).</summary>
    public sealed record PasswordlessChange([property: JsonRequired] bool? Allowed);

    /// <summary>A new tenant and its first administrator. The scope is opened for the new tenant, so row-level security admits its rows.</summary>
    public static async Task<Created<SignedUp>> SignUp(SignUpRequest body, IMediator mediator, TenantContext tenant, CancellationToken cancellationToken)
    {
        RefuseTenantCaller(tenant);
        var tenantId = Guid.CreateVersion7();
        tenant.Resolve(tenantId);
        var signedUp = await mediator.Send(
            new SignUp(tenantId, body.OrganisationName, Domain.Tenants.Slug.Normalize(body.Slug), body.Email, body.DisplayName, body.Password),
            cancellationToken);
        return TypedResults.Created("/api/me", signedUp);
    }

    /// <summary>The tenant is read from the token itself; an unknown or edited token finds nothing there.</summary>
    public static async Task<IResult> AcceptInvitation(AcceptInvitationRequest body, IMediator mediator, TenantContext tenant, CancellationToken cancellationToken)
    {
        RefuseTenantCaller(tenant);
        // A missing token is bad input (400, like the command's validator says), not an invalid invitation.
        if (string.IsNullOrEmpty(body.Token))
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("token", "The invitation token is required.")]);
        if (!OpaqueHandle.TryReadTenant(body.Token, out var tenantId) || tenantId is not { } id)
            throw new Application.Common.Errors.ConflictException("invitation-invalid",
                "The invitation is not valid: it is unknown, was used or revoked, or has expired.");
        tenant.Resolve(id);
        var accepted = await mediator.Send(new AcceptInvitation(body.Token, body.DisplayName, body.Password), cancellationToken);
        return TypedResults.Created("/api/me", accepted);
    }

    /// <summary>These requests open a scope for a tenant of their own: a caller already bound to a tenant cannot send them.</summary>
    private static void RefuseTenantCaller(TenantContext tenant)
    {
        if (tenant.IsResolved)
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("authorization",
                "Send this request without an access token: it creates an account, it does not act for one.")]);
    }

    public static Task<MeDto> Me(IMediator mediator, CancellationToken cancellationToken) => mediator.Send(new GetMe(), cancellationToken);

    public static Task<IResult> GetSettings(IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetTenantSettings());

    public static async Task<IResult> ChangeVisibility(VisibilityChange body, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new ChangeRecordVisibility(body.RecordVisibility, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return await Resources.Read(mediator, context, new GetTenantSettings());
    }

    /// <summary>The customer recommendations' thresholds, each required: days without activity, top revenue percent, days since a purchase.</summary>
    public sealed record RecommendationThresholds(
        [property: JsonRequired] int? FollowUpAfterDays, [property: JsonRequired] int? TopRevenuePercent, [property: JsonRequired] int? CheckInWithinDays);

    public static async Task<IResult> ChangeRecommendations(RecommendationThresholds body, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new ChangeRecommendationSettings(body.FollowUpAfterDays, body.TopRevenuePercent, body.CheckInWithinDays,
            ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return await Resources.Read(mediator, context, new GetTenantSettings());
    }

    public static async Task<IResult> AllowPasswordless(PasswordlessChange body, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new AllowPasswordlessSignIn(body.Allowed, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return await Resources.Read(mediator, context, new GetTenantSettings());
    }
}
