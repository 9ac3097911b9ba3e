using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Privacy;
using MediatR;

namespace CrmTenancy.Application.Privacy.GetErasure;

/// <summary>One erasure record: who, when, which records (accountability for a privacy request; no personal data).</summary>
public sealed record GetErasure(Guid Id) : IQuery<ErasureDto>, ITenantAdminRequest;

public sealed class GetErasureHandler(IReadRepository<Erasure> erasures, ITenantContext tenant) : IRequestHandler<GetErasure, ErasureDto>
{
    public async Task<ErasureDto> Handle(GetErasure request, CancellationToken cancellationToken) =>
        ErasureDto.From(await erasures.FirstOrDefaultAsync(new ReadByIdSpecification<Erasure>(tenant, request.Id), cancellationToken)
            ?? throw new NotFoundException("Erasure", request.Id), again: false);
}

/// <summary>The tenant's erasure records, newest first (the latest 100).</summary>
public sealed record ListErasures : IQuery<IReadOnlyList<ErasureDto>>, ITenantAdminRequest;

public sealed class ListErasuresHandler(IReadRepository<Erasure> erasures, ITenantContext tenant) : IRequestHandler<ListErasures, IReadOnlyList<ErasureDto>>
{
    public async Task<IReadOnlyList<ErasureDto>> Handle(ListErasures request, CancellationToken cancellationToken) =>
        (await erasures.ListAsync(new ErasuresSpecification(tenant), cancellationToken)).Select(e => ErasureDto.From(e, again: false)).ToList();

    private sealed class ErasuresSpecification : TenantSpecification<Erasure>
    {
        public ErasuresSpecification(ITenantContext tenant) : base(tenant) => Query.OrderByDescending(e => e.CreatedAt).Take(100).AsNoTracking();
    }
}
