using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Activities;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Activities;

/// <summary>One entry of the timeline, as the API answers it.</summary>
public sealed record ActivityDto : IProjection<Activity, ActivityDto>
{
    public Guid Id { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    /// <summary><c>user:{id}</c>, <c>client:{client id}</c> or <c>job</c>.</summary>
    public string Actor { get; init; } = "";
    /// <summary>The user's display name now, the client's id, or <c>job</c>.</summary>
    public string? ActorName { get; init; }
    public string RecordType { get; init; } = "";
    public Guid RecordId { get; init; }
    public string Action { get; init; } = "";
    public string Summary { get; init; } = "";
    public string[] Fields { get; init; } = [];
    public string? FromValue { get; init; }
    public string? ToValue { get; init; }

    static IQueryable<ActivityDto> IProjection<Activity, ActivityDto>.ProjectFrom(IQueryable<Activity> source) =>
        ActivityMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class ActivityMapper
{
    /// <summary>Uses <see cref="ToDto(Activity)"/>'s configuration, inlined into the SELECT.</summary>
    public static partial IQueryable<ActivityDto> ProjectToDto(IQueryable<Activity> source);

    /// <summary>The actor's name is not stored: the handler adds it to the page.</summary>
    [MapperIgnoreTarget(nameof(ActivityDto.ActorName))]
    public static partial ActivityDto ToDto(Activity activity);
}
