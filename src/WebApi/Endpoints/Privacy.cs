using CrmTenancy.Application.Privacy;
using CrmTenancy.Application.Privacy.DownloadTenantExport;
using CrmTenancy.Application.Privacy.ErasePerson;
using CrmTenancy.Application.Privacy.GetErasure;
using CrmTenancy.Application.Privacy.GetMyData;
using CrmTenancy.Application.Privacy.GetTenantExport;
using CrmTenancy.Application.Privacy.RequestTenantExport;
using CrmTenancy.Infrastructure.Tenancy;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// Privacy requests: a person's own data (streamed), the whole tenant's data as a background export with a time-limited
/// download link, and the erasure of a person.
/// </summary>
public sealed class Privacy : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var privacy = app.MapGroup("/api/privacy").WithTags("Privacy");
        privacy.MapGet("my-data", MyData).WithName("GetMyData").RequireAuthorization(Policies.Read)
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        privacy.MapPost("exports", RequestExport).WithName("RequestTenantExport").RequireAuthorization(Policies.TenantAdmin);
        privacy.MapGet("exports", ListExports).WithName("ListTenantExports").RequireAuthorization(Policies.TenantAdmin);
        privacy.MapGet("exports/{id:guid}", GetExport).WithName("GetTenantExport").RequireAuthorization(Policies.TenantAdmin);
        privacy.MapPost("exports/{id:guid}/download-link", CreateLink).WithName("CreateTenantExportDownloadLink").RequireAuthorization(Policies.TenantAdmin);
        privacy.MapGet("exports/download", Download).WithName("DownloadTenantExport").AllowAnonymous()
            .WithMetadata(ResolvesOwnTenant.Instance).Produces(StatusCodes.Status200OK, contentType: "application/zip");
        privacy.MapGet("erasures", ListErasures).WithName("ListErasures").RequireAuthorization(Policies.TenantAdmin);
        privacy.MapGet("erasures/{id:guid}", GetErasure).WithName("GetErasure").RequireAuthorization(Policies.TenantAdmin);
        privacy.MapPost("erasures", Erase).WithName("ErasePerson").RequireAuthorization(Policies.TenantAdmin)
            .WithRequestExample("""{"email":"someone@example.com"}""");
    }

    public sealed record ErasureRequest(Guid? ContactId, Guid? LeadId, string? Email);

    /// <summary>Everything the caller owns, created or is assigned, as one JSON document written as it is read.</summary>
    public static async Task MyData(IMediator mediator, HttpContext context) =>
        await WriteAsync(context, await mediator.Send(new GetMyData(), context.RequestAborted), null);

    public static async Task<Accepted<TenantExportDto>> RequestExport(IMediator mediator, HttpContext context)
    {
        // A new export has no version to match; a malformed If-Match is still refused, as on every write.
        _ = ETags.ExpectedVersion(context.Request);
        var export = await mediator.Send(new RequestTenantExport(), context.RequestAborted);
        return TypedResults.Accepted($"/api/privacy/exports/{export.Id}", export);
    }

    public static Task<TenantExportDto> GetExport(Guid id, IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new GetTenantExport(id), cancellationToken);

    public static Task<IReadOnlyList<TenantExportDto>> ListExports(IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ListTenantExports(), cancellationToken);

    /// <summary>A link that downloads the ready archive for 15 minutes; 409 export-not-ready before that.</summary>
    public static Task<DownloadLinkDto> CreateLink(Guid id, IMediator mediator, HttpContext context) =>
        mediator.Send(new CreateDownloadLink(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);

    /// <summary>The link is the credential: its token names the tenant and the export, and expires. Anything else is 404.</summary>
    public static async Task Download(HttpContext context, IExportLinks links, TenantContext tenant, IMediator mediator, string? token = null)
    {
        if (links.Open(token) is not var (tenantId, exportId))
            throw new Application.Common.Errors.NotFoundException("Export", Guid.Empty);
        tenant.Resolve(tenantId);
        var document = await mediator.Send(new DownloadTenantExport(exportId), context.RequestAborted);
        await WriteAsync(context, document, $"crm-export-{exportId:N}.zip");
    }

    public static Task<IReadOnlyList<ErasureDto>> ListErasures(IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ListErasures(), cancellationToken);

    public static Task<ErasureDto> GetErasure(Guid id, IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new GetErasure(id), cancellationToken);

    public static Task<ErasureDto> Erase(ErasureRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ErasePerson(body.ContactId, body.LeadId, body.Email), cancellationToken);

    private static async Task WriteAsync(HttpContext context, StreamedDocument document, string? fileName)
    {
        context.Response.ContentType = document.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        if (fileName is not null)
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await document.WriteAsync(context.Response.Body, context.RequestAborted);
    }
}
