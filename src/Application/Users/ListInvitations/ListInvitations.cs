using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using MediatR;

namespace CrmTenancy.Application.Users.ListInvitations;

/// <summary>The invitations not yet accepted, revoked or expired.</summary>
public sealed record ListInvitations : IQuery<IReadOnlyList<InvitationDto>>, ITenantAdminRequest;

public sealed class ListInvitationsHandler(IReadRepository<Invitation> invitations, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<ListInvitations, IReadOnlyList<InvitationDto>>
{
    public async Task<IReadOnlyList<InvitationDto>> Handle(ListInvitations request, CancellationToken cancellationToken) =>
        await invitations.ProjectListAsync<InvitationDto>(new PendingInvitationsSpecification(tenant, clock.GetUtcNow()), cancellationToken);
}
