using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Clients.GetClient;
using CrmTenancy.Application.Clients.ListClients;
using CrmTenancy.Application.Clients.RegisterClient;
using CrmTenancy.Application.Clients.RevokeClient;
using CrmTenancy.Application.Clients.RotateClientSecret;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>The tenant's integration clients, for its administrators: the secret is shown once, at registration or rotation.</summary>
public sealed class Clients : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var clients = app.MapGroup("/api/clients").WithTags("Clients").RequireAuthorization(Policies.TenantAdmin);
        clients.MapGet("", List).WithName("ListClients");
        clients.MapGet("{id:guid}", Get).WithName("GetClient");
        clients.MapPost("", Register).WithName("RegisterClient");
        clients.MapPost("{id:guid}/secret", Rotate).WithName("RotateClientSecret");
        clients.MapDelete("{id:guid}", Revoke).WithName("RevokeClient");
    }

    public static Task<IReadOnlyList<ClientSummary>> List(IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ListClients(), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetClient(id));

    public static async Task<Created<ClientWithSecret>> Register(RegisterClient command, IMediator mediator, HttpContext context)
    {
        var created = await mediator.Send(command, context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ETag = ETags.For(created.Client.Version);
        return TypedResults.Created($"/api/clients/{created.Client.Id}", created);
    }

    public static async Task<IResult> Rotate(Guid id, IMediator mediator, HttpContext context)
    {
        var rotated = await mediator.Send(new RotateClientSecret(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return Resources.Ok(context, rotated);
    }

    public static async Task<NoContent> Revoke(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new RevokeClient(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }
}
