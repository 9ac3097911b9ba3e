using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Messaging;
using MediatR;

namespace CrmTenancy.Application.Clients.RotateClientSecret;

/// <summary>The new secret, shown once, and the client's version after the rotation (its new ETag).</summary>
public sealed record RotatedSecret(Guid Id, string ClientSecret, int Version) : IVersioned;

/// <summary>Replaces the client's secret; the old one stops working at once. Tokens already issued stay valid until they expire.</summary>
public sealed record RotateClientSecret(Guid Id, int? ExpectedVersion = null) : ICommand<RotatedSecret>, ITenantAdminRequest, IConditionalCommand;

public sealed class RotateClientSecretHandler(IClientRegistry clients, ITenantContext tenant) : IRequestHandler<RotateClientSecret, RotatedSecret>
{
    public async Task<RotatedSecret> Handle(RotateClientSecret request, CancellationToken cancellationToken) =>
        await clients.RotateSecretAsync(tenant.TenantId, request.Id, request.ExpectedVersion, cancellationToken) is var (secret, version)
            ? new RotatedSecret(request.Id, secret, version)
            : throw new NotFoundException("Client", request.Id);
}
