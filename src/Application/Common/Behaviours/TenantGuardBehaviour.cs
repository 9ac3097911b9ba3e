using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Common.Behaviours;

/// <summary>
/// Every request is tenant-scoped unless it says otherwise; without a resolved tenant it stops here. A platform
/// request runs only for a caller with the platform scope and no tenant: a tenant's caller is refused.
/// </summary>
public sealed class TenantGuardBehaviour<TRequest, TResponse>(ITenantContext tenant, ICurrentUser user) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is IPlatformRequest && (tenant.IsResolved || !user.Scopes.Contains(Scopes.Platform)))
            throw new ForbiddenException("Only platform operators may read across tenants.");
        if (request is not IAllowWithoutTenant && !tenant.IsResolved)
            throw new TenantRequiredException();
        if (request is ITenantAdminRequest && !user.IsTenantAdmin)
            throw new ForbiddenException("Only the tenant's administrators may do this.");
        return next();
    }
}
