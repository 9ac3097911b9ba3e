using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Clients.ListClients;

/// <summary>The tenant's integration clients, revoked ones included; never their secrets.</summary>
public sealed record ListClients : IQuery<IReadOnlyList<ClientSummary>>, ITenantAdminRequest;

public sealed class ListClientsHandler(IClientRegistry clients, ITenantContext tenant) : IRequestHandler<ListClients, IReadOnlyList<ClientSummary>>
{
    public Task<IReadOnlyList<ClientSummary>> Handle(ListClients request, CancellationToken cancellationToken) =>
        clients.ListAsync(tenant.TenantId, cancellationToken);
}
