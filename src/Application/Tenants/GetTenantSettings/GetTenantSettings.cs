using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Tenants;
using MediatR;

namespace CrmTenancy.Application.Tenants.GetTenantSettings;

public sealed record GetTenantSettings : IQuery<TenantSettingsDto>;

public sealed class GetTenantSettingsHandler(IReadRepository<Tenant> tenants, ITenantContext tenant) : IRequestHandler<GetTenantSettings, TenantSettingsDto>
{
    public async Task<TenantSettingsDto> Handle(GetTenantSettings request, CancellationToken cancellationToken)
    {
        var current = await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant), cancellationToken)
            ?? throw new NotFoundException(nameof(Tenant), tenant.TenantId);
        return new TenantSettingsDto(current.Id, current.Name, current.Slug, current.Status, current.RecordVisibility, current.PasswordlessSignIn, current.Recommendations, current.Version);
    }
}
