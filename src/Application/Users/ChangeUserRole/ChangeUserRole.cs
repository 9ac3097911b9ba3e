using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Users.ChangeUserRole;

/// <summary>
/// Makes a user an administrator or a member. The user's current access tokens stop working (new rights, new tokens).
/// The role is required: left out, it would default to the enum's first value, TenantAdmin.
/// </summary>
public sealed record ChangeUserRole(Guid Id, UserRole? Role, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class ChangeUserRoleValidator : AbstractValidator<ChangeUserRole>
{
    public ChangeUserRoleValidator() => RuleFor(x => x.Role).NotNull().IsInEnum();
}

public sealed class ChangeUserRoleHandler(IRepository<User> users, IRepository<Tenant> tenants, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<ChangeUserRole, Unit>
{
    public async Task<Unit> Handle(ChangeUserRole request, CancellationToken cancellationToken)
    {
        var user = await users.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        var role = request.Role!.Value;
        if (user.Role == UserRole.TenantAdmin && role != UserRole.TenantAdmin)
            await TeamRules.EnsureAnotherActiveAdminAsync(users, tenants, tenant, user.Id, clock.GetUtcNow(), cancellationToken);
        user.ChangeRole(role);
        return Unit.Value;
    }
}
