using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using MediatR;

namespace CrmTenancy.Application.Users.GetMe;

public sealed record MeTenant(Guid Id, string Name, string Slug, RecordVisibility RecordVisibility);

public sealed record MeDto(
    string Kind, Guid? UserId, string? ClientId, string? Email, string? DisplayName, MeTenant? Tenant,
    IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes);

/// <summary>Who the caller is: a user or a client, their tenant (if any), roles and granted scopes.</summary>
public sealed record GetMe : IQuery<MeDto>, IAllowWithoutTenant;

public sealed class GetMeHandler(ICurrentUser caller, ITenantContext tenant, IReadRepository<User> users, IReadRepository<Tenant> tenants)
    : IRequestHandler<GetMe, MeDto>
{
    public async Task<MeDto> Handle(GetMe request, CancellationToken cancellationToken)
    {
        MeTenant? ownTenant = null;
        User? user = null;
        if (tenant.IsResolved)
        {
            var row = await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant), cancellationToken);
            if (row is not null)
                ownTenant = new MeTenant(row.Id, row.Name, row.Slug, row.RecordVisibility);
            if (caller.UserId is { } userId)
                user = await users.FirstOrDefaultAsync(new ReadByIdSpecification<User>(tenant, userId), cancellationToken);
        }
        var kind = caller.UserId is null ? "client" : "user";
        return new MeDto(kind, caller.UserId, caller.ClientId, user?.Email, user?.DisplayName, ownTenant,
            caller.Roles.Order(StringComparer.Ordinal).ToList(), caller.Scopes.Order(StringComparer.Ordinal).ToList());
    }
}
