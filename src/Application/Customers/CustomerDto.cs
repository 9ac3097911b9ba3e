using AutoMapper;
using CrmTenancy.Domain.Customers;

namespace CrmTenancy.Application.Customers;

public sealed class CustomerDto
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? CompanyName { get; init; }
    public string? Industry { get; init; }
    public CompanySize? CompanySize { get; init; }
    public string? Website { get; init; }
    public CustomerStatus Status { get; init; }
    public CustomerSource Source { get; init; }
    public string[] Tags { get; init; } = [];
    public decimal TotalRevenue { get; init; }
    public DateOnly? LastPurchaseDate { get; init; }
    public Guid? OwnerId { get; init; }
    public Guid? AssigneeId { get; init; }
    public string? Notes { get; init; }
    public int ContactCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    /// <summary>The concurrency version; the API sends it as the ETag.</summary>
    public int Version { get; init; }
}

public sealed class CustomerMappingProfile : Profile
{
    public CustomerMappingProfile() =>
        CreateMap<Customer, CustomerDto>()
            .ForMember(d => d.ContactCount, o => o.MapFrom(s => s.Contacts.Count));
}
