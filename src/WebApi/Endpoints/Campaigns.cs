using System.Text.Json.Serialization;
using CrmTenancy.Application.Campaigns;
using CrmTenancy.Application.Campaigns.CampaignTargets;
using CrmTenancy.Application.Campaigns.CreateCampaign;
using CrmTenancy.Application.Campaigns.DeleteCampaign;
using CrmTenancy.Application.Campaigns.GetCampaign;
using CrmTenancy.Application.Campaigns.GetCampaignStats;
using CrmTenancy.Application.Campaigns.LaunchCampaign;
using CrmTenancy.Application.Campaigns.ListCampaigns;
using CrmTenancy.Application.Campaigns.MoveCampaign;
using CrmTenancy.Application.Campaigns.UpdateCampaign;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

public sealed class Campaigns : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/campaigns").WithTags("Campaigns");
        var read = group.MapGroup("").RequireAuthorization(Policies.Read);
        var write = group.MapGroup("").RequireAuthorization(Policies.Write);

        read.MapGet("", List).WithName("ListCampaigns");
        read.MapGet("{id:guid}", Get).WithName("GetCampaign");
        read.MapGet("{id:guid}/targets", ListTargets).WithName("ListCampaignTargets");
        read.MapGet("{id:guid}/stats", (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
            mediator.Send(new GetCampaignStats(id), cancellationToken)).WithName("GetCampaignStats");
        read.MapTimeline<Campaign>();
        write.MapSharing(id => new GetCampaign(id));
        write.MapPost("", Create).WithName("CreateCampaign");
        write.MapPut("{id:guid}", Update).WithName("UpdateCampaign");
        write.MapDelete("{id:guid}", Delete).WithName("DeleteCampaign");
        write.MapPut("{id:guid}/owner", HandTo).WithName("HandCampaignTo");
        write.MapPost("{id:guid}/launch", Launch).WithName("LaunchCampaign");
        foreach (var move in Enum.GetValues<CampaignMove>())
        {
            var name = move.ToString();
            write.MapPost($"{{id:guid}}/{name.ToLowerInvariant()}", (Guid id, IMediator mediator, HttpContext context) => Move(id, move, mediator, context))
                .WithName($"{name}Campaign");
        }
        write.MapPost("{id:guid}/targets", AddTargets).WithName("AddCampaignTargets");
        write.MapDelete("{id:guid}/targets/{targetId:guid}", RemoveTarget).WithName("RemoveCampaignTarget");
    }

    public static Task<PagedResult<CampaignDto>> List(
        IMediator mediator, CancellationToken cancellationToken,
        string? status = null, string? channel = null, Guid? ownerId = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListCampaigns(
            new CampaignFilter(QueryEnum.Parse<CampaignStatus>(status, nameof(status)), QueryEnum.Parse<CampaignChannel>(channel, nameof(channel)), ownerId),
            page, pageSize), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetCampaign(id));

    public static Task<IResult> Create(CreateCampaign command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetCampaign(id), "/api/campaigns");

    public static Task<IResult> Update(Guid id, UpdateCampaign command, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) }, new GetCampaign(id));

    public static async Task<NoContent> Delete(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new DeleteCampaign(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>The user to run the campaign, or null for none.</summary>
    public sealed record CampaignOwner([property: JsonRequired] Guid? OwnerId);

    public static Task<IResult> HandTo(Guid id, CampaignOwner body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new HandCampaignTo(id, body.OwnerId, ETags.ExpectedVersion(context.Request)), new GetCampaign(id));

    public static Task<IResult> Launch(Guid id, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new LaunchCampaign(id, ETags.ExpectedVersion(context.Request)), new GetCampaign(id));

    private static Task<IResult> Move(Guid id, CampaignMove move, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new MoveCampaign(id, move, ETags.ExpectedVersion(context.Request)), new GetCampaign(id));

    public static Task<PagedResult<CampaignTargetDto>> ListTargets(
        Guid id, IMediator mediator, CancellationToken cancellationToken, string? state = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListCampaignTargets(id, QueryEnum.Parse<CampaignTargetState>(state, nameof(state)), page, pageSize), cancellationToken);

    /// <summary>Contacts and leads of the tenant to add as targets, by id (either list may be empty, not both).</summary>
    public sealed record TargetIds(IReadOnlyList<Guid>? ContactIds, IReadOnlyList<Guid>? LeadIds);

    public static Task<IResult> AddTargets(Guid id, TargetIds body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context,
            new AddCampaignTargets(id, body.ContactIds ?? [], body.LeadIds ?? [], ETags.ExpectedVersion(context.Request)), new GetCampaign(id));

    public static Task<IResult> RemoveTarget(Guid id, Guid targetId, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new RemoveCampaignTarget(id, targetId, ETags.ExpectedVersion(context.Request)), new GetCampaign(id));
}
