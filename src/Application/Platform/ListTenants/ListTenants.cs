using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Platform.ListTenants;

/// <summary>Every tenant with its usage counts. Crosses tenants: platform operators only, audited.</summary>
public sealed record ListTenants : IQuery<IReadOnlyList<TenantUsageDto>>, IPlatformRequest;

public sealed class ListTenantsHandler(IPlatformReadStore platform) : IRequestHandler<ListTenants, IReadOnlyList<TenantUsageDto>>
{
    public async Task<IReadOnlyList<TenantUsageDto>> Handle(ListTenants request, CancellationToken cancellationToken)
    {
        var tenants = await platform.ListTenantsAsync(cancellationToken);
        await platform.RecordAccessAsync(tenants.Select(t => t.Id).ToList(), "tenants.list-usage", null, cancellationToken);
        return tenants;
    }
}
