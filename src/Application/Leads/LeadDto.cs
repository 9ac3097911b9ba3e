using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Leads;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Leads;

public sealed class LeadDto : IProjection<Lead, LeadDto>, IVersioned
{
    public Guid Id { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? CompanyName { get; init; }
    public LeadSource Source { get; init; }
    public string? Interest { get; init; }
    public VolumeTier? VolumeTier { get; init; }
    public string[] Tags { get; init; } = [];
    public Guid? OwnerId { get; init; }
    public Guid? AssigneeId { get; init; }
    /// <summary>The tenant's company (business unit) the record belongs to, if any.</summary>
    public Guid? CompanyId { get; init; }
    /// <summary>Shared with the whole tenant: every member reads it under owner-only visibility.</summary>
    public bool Shared { get; init; }
    public string? Notes { get; init; }
    public LeadStatus Status { get; init; }
    public string? LostReason { get; init; }
    public DateTimeOffset CapturedAt { get; init; }
    public DateTimeOffset? LastContactedAt { get; init; }
    public DateTimeOffset? LastCapturedAt { get; init; }
    public Guid? ConvertedCustomerId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    /// <summary>The concurrency version; the API sends it as the ETag.</summary>
    public int Version { get; init; }

    static IQueryable<LeadDto> IProjection<Lead, LeadDto>.ProjectFrom(IQueryable<Lead> source) =>
        LeadMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class LeadMapper
{
    public static partial IQueryable<LeadDto> ProjectToDto(IQueryable<Lead> source);
}
