using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Customers;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Customers;

public sealed class CustomerDto : IProjection<Customer, CustomerDto>, IVersioned
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
    /// <summary>The tenant's company (business unit) the record belongs to, if any.</summary>
    public Guid? CompanyId { get; init; }
    /// <summary>Shared with the whole tenant: every member reads it under owner-only visibility.</summary>
    public bool Shared { get; init; }
    public string? Notes { get; init; }
    public int ContactCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    /// <summary>The concurrency version; the API sends it as the ETag.</summary>
    public int Version { get; init; }

    static IQueryable<CustomerDto> IProjection<Customer, CustomerDto>.ProjectFrom(IQueryable<Customer> source) =>
        CustomerMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class CustomerMapper
{
    /// <summary>Uses <see cref="ToDto"/>'s configuration, inlined into the SELECT.</summary>
    public static partial IQueryable<CustomerDto> ProjectToDto(IQueryable<Customer> source);

    [MapProperty("Contacts.Count", nameof(CustomerDto.ContactCount))]
    public static partial CustomerDto ToDto(Customer customer);
}
