using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Privacy;
using MediatR;

namespace CrmTenancy.Application.Privacy.DownloadTenantExport;

/// <summary>
/// A ready export's archive, for a download link: the link's token is the credential (it names the tenant, which the
/// endpoint resolves from it, and the export, and it expires). Not found once the archive has expired.
/// </summary>
public sealed record DownloadTenantExport(Guid ExportId) : IQuery<StreamedDocument>;

public sealed class DownloadTenantExportHandler(IReadRepository<TenantExport> exports, IExportArchives archives, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<DownloadTenantExport, StreamedDocument>
{
    public async Task<StreamedDocument> Handle(DownloadTenantExport request, CancellationToken cancellationToken)
    {
        var export = await exports.FirstOrDefaultAsync(new ReadByIdSpecification<TenantExport>(tenant, request.ExportId), cancellationToken);
        if (export is null || !export.IsDownloadable(clock.GetUtcNow()))
            throw new NotFoundException("Export", request.ExportId);
        return new StreamedDocument("application/zip", async (output, ct) =>
        {
            if (!await archives.CopyToAsync(export.Id, output, ct))
                throw new NotFoundException("Export", export.Id);
        });
    }
}
