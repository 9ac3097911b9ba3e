using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Companies;
using CrmTenancy.Application.Companies.CreateCompany;
using CrmTenancy.Application.Companies.DeleteCompany;
using CrmTenancy.Application.Companies.GetCompany;
using CrmTenancy.Application.Companies.ListCompanies;
using CrmTenancy.Application.Companies.UpdateCompany;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>The tenant's companies (business units): every member reads them, the administrators define them.</summary>
public sealed class Companies : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/companies").WithTags("Companies");
        var read = group.MapGroup("").RequireAuthorization(Policies.Read);
        var admin = group.MapGroup("").RequireAuthorization(Policies.TenantAdmin);

        read.MapGet("", List).WithName("ListCompanies");
        read.MapGet("{id:guid}", Get).WithName("GetCompany");
        admin.MapPost("", Create).WithName("CreateCompany");
        admin.MapPut("{id:guid}", Update).WithName("UpdateCompany");
        admin.MapDelete("{id:guid}", Delete).WithName("DeleteCompany");
    }

    public static Task<PagedResult<CompanyDto>> List(IMediator mediator, CancellationToken cancellationToken,
        string? search = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListCompanies(search, page, pageSize), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetCompany(id));

    public static Task<IResult> Create(CreateCompany command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetCompany(id), "/api/companies");

    public static Task<IResult> Update(Guid id, UpdateCompany command, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) }, new GetCompany(id));

    public static async Task<NoContent> Delete(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new DeleteCompany(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }
}
