using AutoMapper;
using CrmTenancy.Domain.Contacts;

namespace CrmTenancy.Application.Contacts;

public sealed class ContactDto
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
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    public int Version { get; init; }
}

public sealed class ContactMappingProfile : Profile
{
    public ContactMappingProfile() => CreateMap<Contact, ContactDto>();
}
