using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Clients.RotateClientSecret;

public sealed record RotatedSecret(Guid Id, string ClientSecret);

/// <summary>Replaces the client's secret; the old one stops working at once. Tokens already issued stay valid until they expire.</summary>
public sealed record RotateClientSecret(Guid Id) : ICommand<RotatedSecret>, ITenantAdminRequest;

public sealed class RotateClientSecretHandler(IClientRegistry clients, ITenantContext tenant) : IRequestHandler<RotateClientSecret, RotatedSecret>
{
    public async Task<RotatedSecret> Handle(RotateClientSecret request, CancellationToken cancellationToken) =>
        new(request.Id, await clients.RotateSecretAsync(tenant.TenantId, request.Id, cancellationToken)
                        ?? throw new NotFoundException("Client", request.Id));
}
