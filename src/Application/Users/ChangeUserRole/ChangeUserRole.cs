using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Users.ChangeUserRole;

/// <summary>Makes a user an administrator or a member. The user's current access tokens stop working (new rights, new tokens).</summary>
public sealed record ChangeUserRole(Guid Id, UserRole Role, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class ChangeUserRoleValidator : AbstractValidator<ChangeUserRole>
{
    public ChangeUserRoleValidator() => RuleFor(x => x.Role).IsInEnum();
}

public sealed class ChangeUserRoleHandler(IRepository<User> users, ITenantContext tenant) : IRequestHandler<ChangeUserRole, Unit>
{
    public async Task<Unit> Handle(ChangeUserRole request, CancellationToken cancellationToken)
    {
        var user = await users.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        if (user.Role == UserRole.TenantAdmin && request.Role != UserRole.TenantAdmin)
            await TeamRules.EnsureAnotherActiveAdminAsync(users, tenant, user.Id, cancellationToken);
        user.ChangeRole(request.Role);
        return Unit.Value;
    }
}
