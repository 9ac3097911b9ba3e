using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Contacts;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Contacts;

public sealed class ContactDto : IProjection<Contact, ContactDto>, IVersioned
{
    public Guid Id { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Title { get; init; }
    public string? Company { get; init; }
    public ContactType Type { get; init; }
    public Guid? CustomerId { get; init; }
    public bool IsPrimary { get; init; }
    public Guid? OwnerId { get; init; }
    public Guid? AssigneeId { get; init; }
    /// <summary>Shared with the whole tenant: every member reads it under owner-only visibility.</summary>
    public bool Shared { get; init; }
    /// <summary>When someone last reached the contact (a completed call, say).</summary>
    public DateTimeOffset? LastContactedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    public int Version { get; init; }

    static IQueryable<ContactDto> IProjection<Contact, ContactDto>.ProjectFrom(IQueryable<Contact> source) =>
        ContactMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class ContactMapper
{
    public static partial IQueryable<ContactDto> ProjectToDto(IQueryable<Contact> source);
}
