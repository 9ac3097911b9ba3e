using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Users;
using CrmTenancy.Application.Users.ChangeUserRole;
using CrmTenancy.Application.Users.DeactivateUser;
using CrmTenancy.Application.Users.GetUser;
using CrmTenancy.Application.Users.InviteUser;
using CrmTenancy.Application.Users.ListInvitations;
using CrmTenancy.Application.Users.ListUsers;
using CrmTenancy.Application.Users.ReactivateUser;
using CrmTenancy.Application.Users.RevokeInvitation;
using CrmTenancy.Domain.Users;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>The tenant's team, for its administrators only (crm.admin on a TenantAdmin's token): users, roles, invitations.</summary>
public sealed class Team : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var team = app.MapGroup("/api/team").WithTags("Team").RequireAuthorization(Policies.TenantAdmin);
        team.MapGet("users", ListUsers).WithName("ListUsers");
        team.MapGet("users/{id:guid}", GetUser).WithName("GetUser");
        team.MapPut("users/{id:guid}/role", ChangeRole).WithName("ChangeUserRole");
        team.MapPost("users/{id:guid}/deactivate", Deactivate).WithName("DeactivateUser");
        team.MapPost("users/{id:guid}/reactivate", Reactivate).WithName("ReactivateUser");
        team.MapGet("invitations", ListInvitations).WithName("ListInvitations");
        team.MapPost("invitations", Invite).WithName("InviteUser");
        team.MapDelete("invitations/{id:guid}", RevokeInvitation).WithName("RevokeInvitation");
    }

    public sealed record RoleChange(UserRole? Role);

    public static Task<PagedResult<UserDto>> ListUsers(IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListUsers(page, pageSize), cancellationToken);

    public static Task<IResult> GetUser(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetUser(id));

    public static Task<IResult> ChangeRole(Guid id, RoleChange body, IMediator mediator, HttpContext context) =>
        AfterChange(mediator, context, id, new ChangeUserRole(id, body.Role, ETags.ExpectedVersion(context.Request)));

    public static Task<IResult> Deactivate(Guid id, IMediator mediator, HttpContext context) =>
        AfterChange(mediator, context, id, new DeactivateUser(id, ETags.ExpectedVersion(context.Request)));

    public static Task<IResult> Reactivate(Guid id, IMediator mediator, HttpContext context) =>
        AfterChange(mediator, context, id, new ReactivateUser(id, ETags.ExpectedVersion(context.Request)));

    public static Task<IReadOnlyList<InvitationDto>> ListInvitations(IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ListInvitations(), cancellationToken);

    public static async Task<Created<InvitationDto>> Invite(InviteUser command, IMediator mediator, HttpContext context)
    {
        var invitation = await mediator.Send(command, context.RequestAborted);
        context.Response.Headers.ETag = ETags.For(invitation.Version);
        return TypedResults.Created($"/api/team/invitations/{invitation.Id}", invitation);
    }

    public static async Task<NoContent> RevokeInvitation(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new RevokeInvitation(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static Task<IResult> AfterChange(IMediator mediator, HttpContext context, Guid id, IRequest<Unit> command) =>
        Resources.AfterChange(mediator, context, command, new GetUser(id));
}
