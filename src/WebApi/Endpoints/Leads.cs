using System.Text.Json.Serialization;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Leads;
using CrmTenancy.Application.Leads.AssignLead;
using CrmTenancy.Application.Leads.CaptureLead;
using CrmTenancy.Application.Leads.ConvertLead;
using CrmTenancy.Application.Leads.CreateLead;
using CrmTenancy.Application.Leads.DeleteLead;
using CrmTenancy.Application.Leads.GetLead;
using CrmTenancy.Application.Leads.ListLeads;
using CrmTenancy.Application.Leads.MoveLead;
using CrmTenancy.Application.Leads.RecordLeadContact;
using CrmTenancy.Application.Leads.TagLead;
using CrmTenancy.Application.Leads.UpdateLead;
using CrmTenancy.Domain.Leads;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

public sealed class Leads : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/leads").WithTags("Leads");
        var read = group.MapGroup("").RequireAuthorization(Policies.Read);
        var write = group.MapGroup("").RequireAuthorization(Policies.Write);

        read.MapGet("", List).WithName("ListLeads");
        read.MapGet("{id:guid}", Get).WithName("GetLead");
        read.MapTimeline<Lead>();
        write.MapSharing(id => new GetLead(id));
        write.MapPost("", Create).WithName("CreateLead");
        write.MapPut("{id:guid}", Update).WithName("UpdateLead");
        write.MapDelete("{id:guid}", Delete).WithName("DeleteLead");
        write.MapPost("{id:guid}/status", Move).WithName("MoveLead");
        write.MapPut("{id:guid}/assignee", Assign).WithName("AssignLead");
        write.MapPost("{id:guid}/tags", AddTags).WithName("AddLeadTags");
        write.MapDelete("{id:guid}/tags/{tag}", RemoveTag).WithName("RemoveLeadTag");
        write.MapPost("{id:guid}/contacted", RecordContact).WithName("RecordLeadContact");
        write.MapPost("{id:guid}/convert", Convert).WithName("ConvertLead");
        group.MapPost("capture", Capture).WithName("CaptureLead")
            .RequireAuthorization(Policies.Capture)
            .RequireRateLimiting(SignInRateLimits.Capture);
    }

    /// <summary>
    /// A web form's or landing page's lead, with a <c>crm.capture</c> client's token: 201 with the new lead's id, or 200
    /// when the email matched an open lead of the tenant, which the capture updated. Safe to retry with an
    /// <c>Idempotency-Key</c>.
    /// </summary>
    public static async Task<Results<Created<LeadCaptured>, Ok<LeadCaptured>>> Capture(CaptureLead command, IMediator mediator, HttpContext context)
    {
        var captured = await mediator.Send(command, context.RequestAborted);
        return captured.Outcome == CaptureOutcome.Created
            ? TypedResults.Created($"/api/leads/{captured.LeadId}", captured)
            : TypedResults.Ok(captured);
    }

    public static Task<PagedResult<LeadDto>> List(
        IMediator mediator, CancellationToken cancellationToken,
        string? status = null, string? source = null, string? tag = null, string? volumeTier = null, Guid? assigneeId = null,
        string? search = null, string? sort = null, string? direction = null,
        int page = 1, int pageSize = Paging.DefaultPageSize, Guid? companyId = null) =>
        mediator.Send(new ListLeads(
            new LeadFilter(
                QueryEnum.Parse<LeadStatus>(status, nameof(status)),
                QueryEnum.Parse<LeadSource>(source, nameof(source)),
                tag,
                QueryEnum.Parse<VolumeTier>(volumeTier, nameof(volumeTier)),
                assigneeId,
                search,
                QueryEnum.Parse<LeadSort>(sort, nameof(sort)) ?? LeadSort.Captured,
                QueryEnum.Parse<SortDirection>(direction, nameof(direction)) ?? SortDirection.Desc,
                companyId),
            page,
            pageSize), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetLead(id));

    public static Task<IResult> Create(CreateLead command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetLead(id), "/api/leads");

    public static Task<IResult> Update(Guid id, UpdateLead command, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) }, new GetLead(id));

    public static async Task<NoContent> Delete(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new DeleteLead(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>The stage to move to; <c>lostReason</c> with <c>lost</c> only.</summary>
    public sealed record LeadStatusChange([property: JsonRequired] LeadStatus Status, string? LostReason);

    public static Task<IResult> Move(Guid id, LeadStatusChange body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new MoveLead(id, body.Status, body.LostReason, ETags.ExpectedVersion(context.Request)), new GetLead(id));

    public static Task<IResult> Assign(Guid id, Assignment body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new AssignLead(id, body.AssigneeId, ETags.ExpectedVersion(context.Request)), new GetLead(id));

    public static Task<IResult> AddTags(Guid id, TagList body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new AddLeadTags(id, body.Tags, ETags.ExpectedVersion(context.Request)), new GetLead(id));

    public static Task<IResult> RemoveTag(Guid id, string tag, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new RemoveLeadTag(id, tag, ETags.ExpectedVersion(context.Request)), new GetLead(id));

    public static Task<IResult> RecordContact(Guid id, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new RecordLeadContact(id, ETags.ExpectedVersion(context.Request)), new GetLead(id));

    /// <summary>An existing customer of the tenant to convert into; none (or null) creates one from the lead.</summary>
    public sealed record LeadConversion(Guid? CustomerId);

    public static Task<IResult> Convert(Guid id, LeadConversion body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new ConvertLead(id, body.CustomerId, ETags.ExpectedVersion(context.Request)), new GetLead(id));
}
