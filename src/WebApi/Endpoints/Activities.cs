using CrmTenancy.Application.Activities;
using CrmTenancy.Application.Activities.ListActivities;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Sharing.ShareRecord;
using CrmTenancy.WebApi.Http;
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
    /// <summary>Whether the record is shared with the whole tenant; always sent.</summary>
    public sealed record Sharing([property: System.Text.Json.Serialization.JsonRequired] bool? Shared);

    /// <summary>
    /// <c>PUT {id}/sharing</c> on a record's group: <c>{"shared": true}</c> shares it with the whole tenant (every member
    /// reads it under owner-only visibility), <c>false</c> ends that; answers the record as <paramref name="read"/> reads it.
    /// </summary>
    public static RouteHandlerBuilder MapSharing<TEntity, TDto>(this RouteGroupBuilder group, Func<Guid, IGetById<TEntity, TDto>> read)
        where TEntity : AggregateRoot, IShareable
        where TDto : class, IProjection<TEntity, TDto>, IVersioned =>
        group.MapPut("{id:guid}/sharing", (Guid id, Sharing body, IMediator mediator, HttpContext context) =>
                Resources.AfterChange(mediator, context, new ShareRecord(typeof(TEntity), id, body.Shared, ETags.ExpectedVersion(context.Request)), read(id)))
            .WithName($"Share{typeof(TEntity).Name}");

    /// <summary>
    /// <c>GET {id}/activities</c> on a record's group: the record's timeline, newest first; 404 when the caller may not
    /// see the record. A module with a timeline adds this one line to its endpoints.
    /// </summary>
    public static RouteHandlerBuilder MapTimeline<T>(this RouteGroupBuilder group) where T : AggregateRoot, ITenantOwned, IActivitySubject =>
        group.MapGet("{id:guid}/activities", (Guid id, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = Paging.DefaultPageSize) =>
                mediator.Send(new ListRecordActivities(typeof(T), id, page, pageSize), cancellationToken))
            .WithName($"List{typeof(T).Name}Activities");
}
