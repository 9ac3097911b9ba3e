using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Platform.SuspendTenant;

/// <summary>
/// Suspends a tenant (operators only, audited, with a reason): its users cannot sign in or refresh, its clients get no
/// tokens, its access tokens stop working on their next request; its data stays as it is.
/// </summary>
public sealed record SuspendTenant(Guid TenantId, string? Reason) : ICommand<TenantStateDto>, IPlatformRequest;

public sealed class SuspendTenantValidator : AbstractValidator<SuspendTenant>
{
    public SuspendTenantValidator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(Tenant.SuspensionReasonMaxLength);
}

public sealed class SuspendTenantHandler(PlatformTenantChanges changes, TimeProvider clock) : IRequestHandler<SuspendTenant, TenantStateDto>
{
    public Task<TenantStateDto> Handle(SuspendTenant request, CancellationToken cancellationToken) =>
        changes.ChangeAsync(request.TenantId, "tenant.suspend", "reason=" + request.Reason!.Trim(),
            t => t.Suspend(request.Reason!, clock.GetUtcNow()), cancellationToken);
}
