using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Events;
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
/// required: left out, it would default to the enum's first value, TenantAdmin. The email is sent once the invitation
/// has committed (<see cref="InvitationEmailConsumer"/>, through the outbox), never for one that was rolled back.
/// </summary>
public sealed record InviteUser(string Email, UserRole? Role) : ICommand<InvitationDto>, ITenantAdminRequest;

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
    ISealedSecrets secrets, TimeProvider clock)
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
        var invitation = Invitation.Create(
            tenant.TenantId, request.Email, request.Role!.Value, hash, secrets.Seal(token, Invitation.Lifetime), caller.UserId, now);
        invitations.Add(invitation);

        return new InvitationDto { Id = invitation.Id, Email = invitation.Email, Role = invitation.Role, ExpiresAt = invitation.ExpiresAt, CreatedAt = now,
            Version = AggregateRoot.InitialVersion };
    }
}

/// <summary>
/// Sends the invitation's email after the invitation committed. At least once: a redelivery after a crash between the
/// send and the delivery record sends it again, with the same token. A seal that no longer opens (the invitation has
/// expired meanwhile) sends nothing.
/// </summary>
public sealed class InvitationEmailConsumer(IEmailSender email, IPublicLinks links, ISealedSecrets secrets)
    : IIntegrationEventConsumer<InvitationIssued>
{
    public async Task HandleAsync(InvitationIssued issued, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        if (secrets.Open(issued.SealedToken) is not { } token)
            return;
        await email.SendAsync(new EmailMessage(
            issued.Email,
            "You are invited to CrmTenancy",
            $"""
            You have been invited to join your team on CrmTenancy as {issued.Role}.

            Accept the invitation before {issued.ExpiresAt:u}:
            {links.AcceptInvitation(token)}

            Invitation token: {token}
            """), cancellationToken);
    }
}
