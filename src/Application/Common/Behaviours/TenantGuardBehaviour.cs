using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Common.Behaviours;

/// <summary>Every request is tenant-scoped unless it says otherwise; without a resolved tenant it stops here.</summary>
public sealed class TenantGuardBehaviour<TRequest, TResponse>(ITenantContext tenant) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IAllowWithoutTenant && !tenant.IsResolved)
            throw new TenantRequiredException();
        return next();
    }
}
