using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Clients.GetClient;

public sealed record GetClient(Guid Id) : IQuery<ClientSummary>, ITenantAdminRequest;

public sealed class GetClientHandler(IClientRegistry clients, ITenantContext tenant) : IRequestHandler<GetClient, ClientSummary>
{
    public async Task<ClientSummary> Handle(GetClient request, CancellationToken cancellationToken) =>
        await clients.FindAsync(tenant.TenantId, request.Id, cancellationToken) ?? throw new NotFoundException("Client", request.Id);
}
