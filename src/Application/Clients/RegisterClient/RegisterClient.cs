using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Clients.RegisterClient;

/// <summary>
/// Registers a confidential client for an integration: client_credentials always, the authorization code flow
/// as well when it has redirect URIs. The secret is in the answer and nowhere else, ever.
/// </summary>
public sealed record RegisterClient(string Name, IReadOnlyList<string> Scopes, IReadOnlyList<string>? RedirectUris = null)
    : ICommand<ClientWithSecret>, ITenantAdminRequest;

public sealed class RegisterClientValidator : AbstractValidator<RegisterClient>
{
    public RegisterClientValidator() => this.ApplyClientRules(x => x.Name, x => x.Scopes, x => x.RedirectUris);
}

public sealed class RegisterClientHandler(IClientRegistry clients, ITenantContext tenant) : IRequestHandler<RegisterClient, ClientWithSecret>
{
    public Task<ClientWithSecret> Handle(RegisterClient request, CancellationToken cancellationToken) =>
        clients.RegisterAsync(tenant.TenantId, request.Name.Trim(), request.Scopes.Distinct(StringComparer.Ordinal).ToList(),
            (request.RedirectUris ?? []).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
}
