using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Campaigns;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Campaigns;

public sealed class CampaignDto : IProjection<Campaign, CampaignDto>, IVersioned
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public CampaignChannel Channel { get; init; }
    public CampaignStatus Status { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public CampaignAudience Audience { get; init; } = new();
    public Guid? OwnerId { get; init; }
    /// <summary>Shared with the whole tenant: every member reads it under owner-only visibility.</summary>
    public bool Shared { get; init; }
    public int TargetCount { get; init; }
    public DateTimeOffset? LaunchedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    /// <summary>The concurrency version; the API sends it as the ETag.</summary>
    public int Version { get; init; }

    static IQueryable<CampaignDto> IProjection<Campaign, CampaignDto>.ProjectFrom(IQueryable<Campaign> source) =>
        CampaignMapper.ProjectToDto(source);
}

public sealed class CampaignTargetDto : IProjection<CampaignTarget, CampaignTargetDto>
{
    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public Guid? ContactId { get; init; }
    public Guid? LeadId { get; init; }
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public CampaignTargetState State { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    static IQueryable<CampaignTargetDto> IProjection<CampaignTarget, CampaignTargetDto>.ProjectFrom(IQueryable<CampaignTarget> source) =>
        CampaignMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class CampaignMapper
{
    public static partial IQueryable<CampaignDto> ProjectToDto(IQueryable<Campaign> source);

    public static partial IQueryable<CampaignTargetDto> ProjectToDto(IQueryable<CampaignTarget> source);
}
