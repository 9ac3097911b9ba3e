using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Clients.RevokeClient;

/// <summary>Revokes the client: no new tokens, and its access tokens stop validating at once.</summary>
public sealed record RevokeClient(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, ITenantAdminRequest, IConditionalCommand;

public sealed class RevokeClientHandler(IClientRegistry clients, ITenantContext tenant) : IRequestHandler<RevokeClient, Unit>
{
    public async Task<Unit> Handle(RevokeClient request, CancellationToken cancellationToken)
    {
        if (!await clients.RevokeAsync(tenant.TenantId, request.Id, request.ExpectedVersion, cancellationToken))
            throw new NotFoundException("Client", request.Id);
        return Unit.Value;
    }
}
