using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Privacy;
using MediatR;

namespace CrmTenancy.Application.Privacy.GetTenantExport;

/// <summary>An export's state: pending, ready (with its size, tables, rows and expiry) or failed.</summary>
public sealed record GetTenantExport(Guid Id) : IQuery<TenantExportDto>, ITenantAdminRequest;

public sealed class GetTenantExportHandler(IReadRepository<TenantExport> exports, ITenantContext tenant)
    : IRequestHandler<GetTenantExport, TenantExportDto>
{
    public async Task<TenantExportDto> Handle(GetTenantExport request, CancellationToken cancellationToken) =>
        TenantExportDto.From(await exports.FirstOrDefaultAsync(new ReadByIdSpecification<TenantExport>(tenant, request.Id), cancellationToken)
            ?? throw new NotFoundException("Export", request.Id));
}

/// <summary>The tenant's latest exports, newest first.</summary>
public sealed record ListTenantExports : IQuery<IReadOnlyList<TenantExportDto>>, ITenantAdminRequest;

public sealed class ListTenantExportsHandler(IReadRepository<TenantExport> exports, ITenantContext tenant)
    : IRequestHandler<ListTenantExports, IReadOnlyList<TenantExportDto>>
{
    public async Task<IReadOnlyList<TenantExportDto>> Handle(ListTenantExports request, CancellationToken cancellationToken) =>
        (await exports.ListAsync(new TenantExportsSpecification(tenant), cancellationToken)).Select(TenantExportDto.From).ToList();
}

/// <summary>
/// A download link for a ready export, valid for <see cref="DownloadLinkDto.Lifetime"/> (never past the archive's
/// expiry): the link alone downloads it, so it is handed out on request, to the tenant's administrators only. 404 while
/// the export is not ready or after it expired.
/// </summary>
public sealed record CreateDownloadLink(Guid Id, int? ExpectedVersion) : IQuery<DownloadLinkDto>, ITenantAdminRequest;

public sealed class CreateDownloadLinkHandler(IReadRepository<TenantExport> exports, ITenantContext tenant, IExportLinks links, TimeProvider clock)
    : IRequestHandler<CreateDownloadLink, DownloadLinkDto>
{
    public async Task<DownloadLinkDto> Handle(CreateDownloadLink request, CancellationToken cancellationToken)
    {
        var export = await exports.FirstOrDefaultAsync(new ReadByIdSpecification<TenantExport>(tenant, request.Id), cancellationToken)
            ?? throw new NotFoundException("Export", request.Id);
        if (request.ExpectedVersion is { } expected && expected != export.Version)
            throw new PreconditionFailedException("export");
        var now = clock.GetUtcNow();
        if (!export.IsDownloadable(now))
            throw new ConflictException("export-not-ready", export.State is ExportState.Ready or ExportState.Expired
                ? "The export has expired and its archive was deleted; request a new one."
                : $"The export is {export.State.ToString().ToLowerInvariant()}; a link is given once it is ready.");
        var until = now + DownloadLinkDto.Lifetime < export.ExpiresAt!.Value ? now + DownloadLinkDto.Lifetime : export.ExpiresAt.Value;
        return new DownloadLinkDto(links.DownloadPath(export.TenantId, export.Id, until), until);
    }
}
