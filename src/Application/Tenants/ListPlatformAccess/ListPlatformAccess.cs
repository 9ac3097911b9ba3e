using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Platform;
using FluentValidation;
using MediatR;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Tenants.ListPlatformAccess;

/// <summary>The tenant's own record of every platform operator read of its data, newest first.</summary>
public sealed record ListPlatformAccess(int Page = 1, int PageSize = Paging.DefaultPageSize) : IQuery<PagedResult<PlatformAccessDto>>, IPagedQuery;

public sealed class PlatformAccessDto : IProjection<PlatformAccessRecord, PlatformAccessDto>
{
    public Guid Id { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Details { get; init; }
    public DateTimeOffset At { get; init; }

    static IQueryable<PlatformAccessDto> IProjection<PlatformAccessRecord, PlatformAccessDto>.ProjectFrom(IQueryable<PlatformAccessRecord> source) =>
        PlatformAccessMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class PlatformAccessMapper
{
    public static partial IQueryable<PlatformAccessDto> ProjectToDto(IQueryable<PlatformAccessRecord> source);
}

public sealed class PlatformAccessSpecification : TenantSpecification<PlatformAccessRecord>
{
    public PlatformAccessSpecification(ITenantContext tenant, int page, int pageSize) : base(tenant)
    {
        Query.OrderByDescending(r => r.At).ThenByDescending(r => r.Id);
        Query.Page(page, pageSize).AsNoTracking();
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
