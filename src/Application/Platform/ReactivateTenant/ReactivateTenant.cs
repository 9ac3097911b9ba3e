using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Platform.ReactivateTenant;

/// <summary>
/// Lifts a suspension (operators only, audited): sign-in and tokens work again. Refresh tokens revoked while suspended,
/// or before, stay revoked.
/// </summary>
public sealed record ReactivateTenant(Guid TenantId) : ICommand<TenantStateDto>, IPlatformRequest;

public sealed class ReactivateTenantHandler(PlatformTenantChanges changes) : IRequestHandler<ReactivateTenant, TenantStateDto>
{
    public Task<TenantStateDto> Handle(ReactivateTenant request, CancellationToken cancellationToken) =>
        changes.ChangeAsync(request.TenantId, "tenant.reactivate", "", t => t.Reactivate(), cancellationToken);
}
