using AutoMapper;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Platform;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Tenants.ListPlatformAccess;

/// <summary>The tenant's own record of every platform operator read of its data, newest first.</summary>
public sealed record ListPlatformAccess(int Page = 1, int PageSize = Paging.DefaultPageSize) : IQuery<PagedResult<PlatformAccessDto>>, IPagedQuery;

public sealed class PlatformAccessDto
{
    public Guid Id { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Details { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed class PlatformAccessMappingProfile : Profile
{
    public PlatformAccessMappingProfile() => CreateMap<PlatformAccessRecord, PlatformAccessDto>();
}

public sealed class PlatformAccessSpecification : TenantSpecification<PlatformAccessRecord>
{
    public PlatformAccessSpecification(ITenantContext tenant, int page, int pageSize) : base(tenant)
    {
        OrderByDescending(r => r.At);
        OrderByDescending(r => r.Id);
        Page(page, pageSize);
        NoTracking();
    }
}

public sealed class ListPlatformAccessValidator : AbstractValidator<ListPlatformAccess>
{
    public ListPlatformAccessValidator() => this.ApplyPagingRules();
}

public sealed class ListPlatformAccessHandler(IReadRepository<PlatformAccessRecord> records, ITenantContext tenant)
    : IRequestHandler<ListPlatformAccess, PagedResult<PlatformAccessDto>>
{
    public Task<PagedResult<PlatformAccessDto>> Handle(ListPlatformAccess request, CancellationToken cancellationToken) =>
        records.ProjectPageAsync<PlatformAccessRecord, PlatformAccessDto>(
            new PlatformAccessSpecification(tenant, request.Page, request.PageSize), cancellationToken);
}
