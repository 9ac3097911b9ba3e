using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Platform.ListAllCustomers;

/// <summary>Customers of every tenant with tenant and owner shown. Crosses tenants: platform operators only, audited.</summary>
public sealed record ListAllCustomers(string? Search = null, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<PlatformCustomerDto>>, IPlatformRequest, IPlatformPage;

public sealed class ListAllCustomersValidator : AbstractValidator<ListAllCustomers>
{
    public ListAllCustomersValidator() => this.ApplyPageRules();
}

public sealed class ListAllCustomersHandler(IPlatformReadStore platform)
    : IRequestHandler<ListAllCustomers, PagedResult<PlatformCustomerDto>>
{
    public async Task<PagedResult<PlatformCustomerDto>> Handle(ListAllCustomers request, CancellationToken cancellationToken)
    {
        var page = await platform.ListCustomersAsync(null, request.Search, request.Page, request.PageSize, cancellationToken);
        await platform.RecordAccessAsync(
            page.Items.Select(c => c.TenantId).Distinct().ToList(), "customers.list-all",
            $"page {request.Page}, search '{request.Search}'", cancellationToken);
        return page;
    }
}
