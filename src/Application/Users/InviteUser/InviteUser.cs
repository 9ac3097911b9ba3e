using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Users;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Users.InviteUser;

/// <summary>
/// Invites someone by email. The token goes only into the email (it is stored hashed) and expires after
/// <see cref="Invitation.Lifetime"/>; inviting the same address again replaces the pending invitation. The role is
/// required: left out, it would default to the enum's first value, TenantAdmin.
/// </summary>
public sealed record InviteUser(string Email, UserRole? Role) : ICommand<InvitationDto>, ITenantAdminRequest, IRunsOnce;

public sealed class InviteUserValidator : AbstractValidator<InviteUser>
{
    public InviteUserValidator()
    {
        RuleFor(x => x.Email).NotEmpty().MaximumLength(FieldLengths.Email).EmailAddress();
        RuleFor(x => x.Role).NotNull().IsInEnum();
    }
}

public sealed class InviteUserHandler(
    IRepository<Invitation> invitations, IReadRepository<User> users, ITenantContext tenant, ICurrentUser caller,
    IEmailSender email, IPublicLinks links, TimeProvider clock)
    : IRequestHandler<InviteUser, InvitationDto>
{
    public async Task<InvitationDto> Handle(InviteUser request, CancellationToken cancellationToken)
    {
        if (await users.AnyAsync(new UserByEmailSpecification(tenant, request.Email), cancellationToken))
            throw UserConflicts.UserExists.ToException();

        var now = clock.GetUtcNow();
        foreach (var pending in await invitations.ListAsync(new PendingInvitationsSpecification(tenant, now, request.Email), cancellationToken))
            pending.Revoke(now);

        var (token, hash) = OpaqueHandle.Create(tenant.TenantId);
        var invitation = Invitation.Create(tenant.TenantId, request.Email, request.Role!.Value, hash, caller.UserId, now);
        invitations.Add(invitation);

        await email.SendAsync(new EmailMessage(
            invitation.Email,
            "You are invited to CrmTenancy",
            $"""
            You have been invited to join your team on CrmTenancy as {invitation.Role}.

            Accept the invitation before {invitation.ExpiresAt:u}:
            {links.AcceptInvitation(token)}

            Invitation token: {token}
            """), cancellationToken);

        return new InvitationDto { Id = invitation.Id, Email = invitation.Email, Role = invitation.Role, ExpiresAt = invitation.ExpiresAt, CreatedAt = now,
            Version = AggregateRoot.InitialVersion };
    }
}
