using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Users;
using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Users;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Activities.ListActivities;

/// <summary>The tenant's activity timeline, newest first: what the caller may see of it.</summary>
public sealed record ListActivities(ActivityFilter Filter, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<ActivityDto>>, IPagedQuery;

/// <summary>
/// One record's timeline (<c>GET /api/customers/{id}/activities</c> and the like): a 404 when the caller may not see the
/// record, exactly as reading it would be.
/// </summary>
public sealed record ListRecordActivities(Type RecordType, Guid RecordId, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<ActivityDto>>, IPagedQuery;

public sealed class ListActivitiesValidator : AbstractValidator<ListActivities>
{
    public ListActivitiesValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.Filter.RecordType).MaximumLength(Activity.RecordTypeMaxLength).OverridePropertyName("recordType");
        RuleFor(x => x.Filter.RecordId).NotEqual(Guid.Empty).OverridePropertyName("recordId");
        RuleFor(x => x.Filter.Actor).MaximumLength(Activity.ActorMaxLength).OverridePropertyName("actor");
        RuleFor(x => x.Filter.Action).MaximumLength(Activity.ActionMaxLength).OverridePropertyName("action");
        RuleFor(x => x.Filter.To).GreaterThan(x => x.Filter.From).When(x => x.Filter.From is not null && x.Filter.To is not null)
            .WithMessage("'to' must be after 'from'.").OverridePropertyName("to");
    }
}

public sealed class ListRecordActivitiesValidator : AbstractValidator<ListRecordActivities>
{
    public ListRecordActivitiesValidator() => this.ApplyPagingRules();
}

public sealed class ListActivitiesHandler(IReadRepository<Activity> activities, IReadRepository<User> users, ITenantContext tenant, IRecordDirectory records)
    : IRequestHandler<ListActivities, PagedResult<ActivityDto>>, IRequestHandler<ListRecordActivities, PagedResult<ActivityDto>>
{
    public Task<PagedResult<ActivityDto>> Handle(ListActivities request, CancellationToken cancellationToken) =>
        PageAsync(request.Filter, request.Page, request.PageSize, cancellationToken);

    public async Task<PagedResult<ActivityDto>> Handle(ListRecordActivities request, CancellationToken cancellationToken)
    {
        if (!await records.IsVisibleAsync(request.RecordType, request.RecordId, cancellationToken))
            throw new NotFoundException(request.RecordType.Name, request.RecordId);
        var filter = new ActivityFilter(Activity.RecordTypeOf(request.RecordType), request.RecordId);
        return await PageAsync(filter, request.Page, request.PageSize, cancellationToken);
    }

    private async Task<PagedResult<ActivityDto>> PageAsync(ActivityFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        var result = await activities.ProjectPageAsync<Activity, ActivityDto>(
            new ActivityListSpecification(tenant, filter, page, pageSize), cancellationToken);
        return result with { Items = await WithActorNamesAsync(result.Items, cancellationToken) };
    }

    /// <summary>The users' display names as they are now, in one query for the page; clients and jobs by their id.</summary>
    private async Task<IReadOnlyList<ActivityDto>> WithActorNamesAsync(IReadOnlyList<ActivityDto> items, CancellationToken cancellationToken)
    {
        var userIds = items.Select(a => UserIdOf(a.Actor)).OfType<Guid>().Distinct().ToList();
        var names = userIds.Count == 0
            ? []
            : (await users.ProjectListAsync<UserDto>(new UsersByIdSpecification(tenant, userIds), cancellationToken))
                .ToDictionary(u => u.Id, u => u.DisplayName);
        return items.Select(a => a with
        {
            ActorName = UserIdOf(a.Actor) is { } user ? names.GetValueOrDefault(user)
                : a.Actor.StartsWith(ActorPrefixes.Client, StringComparison.Ordinal) ? a.Actor[ActorPrefixes.Client.Length..]
                : a.Actor,
        }).ToList();
    }

    private static Guid? UserIdOf(string actor) =>
        actor.StartsWith(ActorPrefixes.User, StringComparison.Ordinal) && Guid.TryParse(actor.AsSpan(ActorPrefixes.User.Length), out var id) ? id : null;
}

/// <summary>How an actor key names its kind (see <see cref="ICurrentUser.Actor"/>).</summary>
public static class ActorPrefixes
{
    public const string User = "user:";
    public const string Client = "client:";
}
