using CrmTenancy.Application.Activities;
using CrmTenancy.Application.Activities.ListActivities;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;
using CrmTenancy.WebApi.Auth;
using MediatR;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>The activity timeline: the tenant's, and (through <see cref="ActivityRoutes.MapTimeline{T}"/>) each record's.</summary>
public sealed class Activities : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/activities").WithTags("Activities").RequireAuthorization(Policies.Read);
        read.MapGet("", List).WithName("ListActivities");
    }

    /// <summary>Newest first; filter by record (type and id), actor (<c>user:{id}</c>, <c>client:{id}</c>, <c>job</c>), action, and time (<c>from</c> inclusive, <c>to</c> exclusive).</summary>
    public static Task<PagedResult<ActivityDto>> List(
        IMediator mediator, CancellationToken cancellationToken,
        string? recordType = null, Guid? recordId = null, string? actor = null, string? action = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null,
        int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListActivities(new ActivityFilter(recordType, recordId, actor, action, from, to), page, pageSize), cancellationToken);
}

public static class ActivityRoutes
{
    /// <summary>
    /// <c>GET {id}/activities</c> on a record's group: the record's timeline, newest first; 404 when the caller may not
    /// see the record. A module with a timeline adds this one line to its endpoints.
    /// </summary>
    public static RouteHandlerBuilder MapTimeline<T>(this RouteGroupBuilder group) where T : AggregateRoot, ITenantOwned, IActivitySubject =>
        group.MapGet("{id:guid}/activities", (Guid id, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = Paging.DefaultPageSize) =>
                mediator.Send(new ListRecordActivities(typeof(T), id, page, pageSize), cancellationToken))
            .WithName($"List{typeof(T).Name}Activities");
}
