using System.Text.Json.Serialization;
using CrmTenancy.Application.Calls;
using CrmTenancy.Application.Calls.CompleteCall;
using CrmTenancy.Application.Calls.GetCall;
using CrmTenancy.Application.Calls.ListCalls;
using CrmTenancy.Application.Calls.MoveCall;
using CrmTenancy.Application.Calls.ScheduleCall;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Leads;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;

namespace CrmTenancy.WebApi.Endpoints;

public sealed class Calls : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/calls").WithTags("Calls");
        var read = group.MapGroup("").RequireAuthorization(Policies.Read);
        var write = group.MapGroup("").RequireAuthorization(Policies.Write);

        read.MapGet("", List).WithName("ListCalls");
        read.MapGet("{id:guid}", Get).WithName("GetCall");
        read.MapTimeline<Call>();
        write.MapPost("", Schedule).WithName("ScheduleCall");
        write.MapPost("{id:guid}/complete", Complete).WithName("CompleteCall");
        foreach (var move in Enum.GetValues<CallMove>())
        {
            var name = move.ToString();
            var segment = string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
            write.MapPost($"{{id:guid}}/{segment}", (Guid id, IMediator mediator, HttpContext context) =>
                    Resources.AfterChange(mediator, context, new MoveCall(id, move, ETags.ExpectedVersion(context.Request)), new GetCall(id)))
                .WithName($"{name}Call");
        }

        // The calls of one record, mapped here so the module that owns calls owns these routes too.
        var of = app.MapGroup("/api").WithTags("Calls").RequireAuthorization(Policies.Read);
        of.MapGet("contacts/{id:guid}/calls", (Guid id, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = Paging.DefaultPageSize) =>
            mediator.Send(new ListCalls(new CallFilter(ContactId: id), page, pageSize, typeof(Contact), id), cancellationToken)).WithName("ListContactCalls");
        of.MapGet("leads/{id:guid}/calls", (Guid id, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = Paging.DefaultPageSize) =>
            mediator.Send(new ListCalls(new CallFilter(LeadId: id), page, pageSize, typeof(Lead), id), cancellationToken)).WithName("ListLeadCalls");
        var inCampaign = app.MapGroup("/api").WithTags("Calls").RequireAuthorization(Policies.Write);
        inCampaign.MapPost("campaigns/{id:guid}/calls", (Guid id, ScheduleCall command, IMediator mediator, HttpContext context) =>
            Resources.Create(mediator, context, command with { CampaignId = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) },
                callId => new GetCall(callId), "/api/calls")).WithName("ScheduleCampaignCall");
        of.MapGet("campaigns/{id:guid}/calls", (Guid id, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = Paging.DefaultPageSize) =>
            mediator.Send(new ListCalls(new CallFilter(CampaignId: id), page, pageSize, typeof(Campaign), id), cancellationToken)).WithName("ListCampaignCalls");
    }

    public static Task<PagedResult<CallDto>> List(
        IMediator mediator, CancellationToken cancellationToken,
        Guid? campaignId = null, Guid? contactId = null, Guid? leadId = null, string? status = null, string? outcome = null, Guid? ownerId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListCalls(
            new CallFilter(campaignId, contactId, leadId, QueryEnum.Parse<CallStatus>(status, nameof(status)), QueryEnum.Parse<CallOutcome>(outcome, nameof(outcome)),
                ownerId, from, to),
            page, pageSize), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetCall(id));

    public static Task<IResult> Schedule(ScheduleCall command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetCall(id), "/api/calls");

    /// <summary>How an answered call ended: its outcome, and optionally notes and the recording's URL.</summary>
    public sealed record CallCompletion([property: JsonRequired] CallOutcome Outcome, string? Notes, string? RecordingUrl);

    public static Task<IResult> Complete(Guid id, CallCompletion body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new CompleteCall(id, body.Outcome, body.Notes, body.RecordingUrl, ETags.ExpectedVersion(context.Request)), new GetCall(id));
}
