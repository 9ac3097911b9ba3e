using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Platform.ListTenantCustomers;

/// <summary>One tenant's customers, for an operator. Crosses tenants: platform operators only, audited.</summary>
public sealed record ListTenantCustomers(Guid TenantId, string? Search = null, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<PlatformCustomerDto>>, IPlatformRequest, IPlatformPage;

public sealed class ListTenantCustomersValidator : AbstractValidator<ListTenantCustomers>
{
    public ListTenantCustomersValidator() => this.ApplyPageRules();
}

public sealed class ListTenantCustomersHandler(IPlatformReadStore platform)
    : IRequestHandler<ListTenantCustomers, PagedResult<PlatformCustomerDto>>
{
    public async Task<PagedResult<PlatformCustomerDto>> Handle(ListTenantCustomers request, CancellationToken cancellationToken)
    {
        if (!await platform.TenantExistsAsync(request.TenantId, cancellationToken))
            throw new NotFoundException("Tenant", request.TenantId);
        var page = await platform.ListCustomersAsync(request.TenantId, request.Search, request.Page, request.PageSize, cancellationToken);
        await platform.RecordAccessAsync([request.TenantId], "customers.list-tenant",
            $"page {request.Page}, search '{request.Search}'", cancellationToken);
        return page;
    }
}
