using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Tenants;

namespace CrmTenancy.Application.Platform;

public sealed record TenantUsageDto(
    Guid Id, string Name, string Slug, TenantStatus Status, DateTimeOffset CreatedAt, int CustomerCount, int ContactCount, int ClientCount);

/// <summary>A customer as an operator sees it: with its tenant and ownership.</summary>
public sealed record PlatformCustomerDto(
    Guid Id,
    Guid TenantId,
    string TenantName,
    string TenantSlug,
    string Name,
    string? Email,
    string? CompanyName,
    CustomerStatus Status,
    Guid? OwnerId,
    Guid? AssigneeId,
    string? CreatedBy,
    DateTimeOffset CreatedAt);
