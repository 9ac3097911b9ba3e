using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Privacy;
using MediatR;

namespace CrmTenancy.Application.Privacy.RequestTenantExport;

/// <summary>
/// Asks for the whole tenant's data as a zip of NDJSON files, one per table: produced in the background once this
/// commits; <c>GET /api/privacy/exports/{id}</c> says when it is ready, <c>POST .../download-link</c> hands out a link.
/// </summary>
public sealed record RequestTenantExport : ICommand<TenantExportDto>, ITenantAdminRequest;

public sealed class RequestTenantExportHandler(IRepository<TenantExport> exports, ITenantContext tenant, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<RequestTenantExport, TenantExportDto>
{
    private const int AggregateRootVersion = Domain.Common.AggregateRoot.InitialVersion;

    public Task<TenantExportDto> Handle(RequestTenantExport request, CancellationToken cancellationToken)
    {
        var export = TenantExport.Request(tenant.TenantId);
        exports.Add(export);
        // The audit stamps are set when the unit of work saves, after this answer is made.
        var now = clock.GetUtcNow();
        return Task.FromResult(TenantExportDto.From(export) with { RequestedAt = now, RequestedBy = user.Actor, Version = AggregateRootVersion });
    }
}
