using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Calls;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Calls;

public sealed class CallDto : IProjection<Call, CallDto>, IVersioned
{
    public Guid Id { get; init; }
    public Guid? CampaignId { get; init; }
    public Guid? TargetId { get; init; }
    public Guid? ContactId { get; init; }
    public Guid? LeadId { get; init; }
    public CallDirection Direction { get; init; }
    public CallStatus Status { get; init; }
    public DateTimeOffset ScheduledAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Whole seconds from start to end, derived by the server.</summary>
    public int? DurationSeconds { get; init; }
    public CallOutcome? Outcome { get; init; }
    public string? Notes { get; init; }
    public string? RecordingUrl { get; init; }
    /// <summary>The user who made or took the call.</summary>
    public Guid? OwnerId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    public int Version { get; init; }

    /// <summary>
    /// A call that converted a lead names the command that converts it (conversion stays a command of its own:
    /// <c>POST</c> this link).
    /// </summary>
    public string? ConvertLead => Outcome == CallOutcome.Converted && LeadId is { } lead ? $"/api/leads/{lead}/convert" : null;

    static IQueryable<CallDto> IProjection<Call, CallDto>.ProjectFrom(IQueryable<Call> source) => CallMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class CallMapper
{
    public static partial IQueryable<CallDto> ProjectToDto(IQueryable<Call> source);

    /// <summary>The element mapping the projection uses: <see cref="CallDto.ConvertLead"/> is derived, not mapped.</summary>
    [MapperIgnoreTarget(nameof(CallDto.ConvertLead))]
    private static partial CallDto ToDto(Call call);
}
