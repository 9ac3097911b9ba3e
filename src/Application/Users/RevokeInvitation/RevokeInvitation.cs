using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using MediatR;

namespace CrmTenancy.Application.Users.RevokeInvitation;

public sealed record RevokeInvitation(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, ITenantAdminRequest, IConditionalCommand;

public sealed class RevokeInvitationHandler(IRepository<Invitation> invitations, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<RevokeInvitation, Unit>
{
    public async Task<Unit> Handle(RevokeInvitation request, CancellationToken cancellationToken)
    {
        var invitation = await invitations.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        invitation.Revoke(clock.GetUtcNow());
        return Unit.Value;
    }
}
