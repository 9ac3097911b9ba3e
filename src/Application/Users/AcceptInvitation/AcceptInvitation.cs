using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Users.AcceptInvitation;

public sealed record AcceptedInvitation(Guid UserId, Guid TenantId, string Email, UserRole Role);

/// <summary>
/// Accepts an invitation: creates the user in the inviting tenant, with the invited email and role and the
/// password they choose. The web host resolves the tenant from the token before sending this (anonymous caller).
/// </summary>
public sealed record AcceptInvitation(string Token, string DisplayName, string Password) : ICommand<AcceptedInvitation>;

public sealed class AcceptInvitationValidator : AbstractValidator<AcceptInvitation>
{
    public AcceptInvitationValidator()
    {
        RuleFor(x => x.Token).NotEmpty().MaximumLength(OpaqueHandle.MaxLength);
        RuleFor(x => x.DisplayName).NotEmpty().MaximumLength(Account.DisplayNameMaxLength);
        RuleFor(x => x.Password).NotEmpty().MaximumLength(Account.PasswordMaxLength);
    }
}

public sealed class AcceptInvitationHandler(
    IRepository<Invitation> invitations, IReadRepository<User> users, IReadRepository<Tenant> tenants, IUserAccounts accounts, ITenantContext tenant,
    TimeProvider clock)
    : IRequestHandler<AcceptInvitation, AcceptedInvitation>
{
    public async Task<AcceptedInvitation> Handle(AcceptInvitation request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var invitation = await invitations.FirstOrDefaultAsync(new InvitationByTokenSpecification(tenant, OpaqueHandle.Hash(request.Token)), cancellationToken);
        // A suspended tenant takes no one in; it answers like an unknown invitation.
        var active = (await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant), cancellationToken))?.Status == TenantStatus.Active;
        if (invitation is null || !invitation.IsPending(now) || !active)
            throw new ConflictException("invitation-invalid", "The invitation is not valid: it is unknown, was used or revoked, or has expired.");
        if (await users.AnyAsync(new UserByEmailSpecification(tenant, invitation.Email), cancellationToken))
            throw UserConflicts.UserExists.ToException();

        var user = User.Create(tenant.TenantId, invitation.Email, request.DisplayName, invitation.Role);
        user.ConfirmEmail(); // the invitation reached this address
        await accounts.CreateAsync(user, request.Password, cancellationToken);
        invitation.Accept(user.Id, now);
        return new AcceptedInvitation(user.Id, tenant.TenantId, user.Email, user.Role);
    }
}
