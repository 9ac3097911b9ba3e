using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Platform.ListPlatformCustomers;

/// <summary>
/// Customers with their tenant and owner, of every tenant or of one (404 for an unknown tenant). Crosses tenants:
/// platform operators only, and every tenant on the page gets an access record.
/// </summary>
public sealed record ListPlatformCustomers(Guid? TenantId = null, string? Search = null, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<PlatformCustomerDto>>, IPlatformRequest, IPlatformPage;

public sealed class ListPlatformCustomersValidator : AbstractValidator<ListPlatformCustomers>
{
    public ListPlatformCustomersValidator() => this.ApplyPageRules();
}

public sealed class ListPlatformCustomersHandler(IPlatformReadStore platform)
    : IRequestHandler<ListPlatformCustomers, PagedResult<PlatformCustomerDto>>
{
    public async Task<PagedResult<PlatformCustomerDto>> Handle(ListPlatformCustomers request, CancellationToken cancellationToken)
    {
        if (request.TenantId is { } tenantId && !await platform.TenantExistsAsync(tenantId, cancellationToken))
            throw new NotFoundException("Tenant", tenantId);
        var page = await platform.ListCustomersAsync(request.TenantId, request.Search, request.Page, request.PageSize, cancellationToken);
        if (request.TenantId is { } one)
        {
            await platform.RecordAccessAsync([one], "customers.list-tenant", $"page {request.Page}, search '{request.Search}'", cancellationToken);
        }
        else
        {
            // The search term may name another tenant's customer: a tenant's trail only says that a search was made.
            await platform.RecordAccessAsync(page.Items.Select(c => c.TenantId).Distinct().ToList(), "customers.list-all",
                $"page {request.Page}{(string.IsNullOrWhiteSpace(request.Search) ? "" : ", with a search")}", cancellationToken);
        }
        return page;
    }
}
