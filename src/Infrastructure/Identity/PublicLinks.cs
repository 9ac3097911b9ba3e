using CrmTenancy.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>Links in emails point at the authorization server's public address, its issuer.</summary>
public sealed class PublicLinks(IOptions<TokenOptions> options) : IPublicLinks
{
    public string AcceptInvitation(string token) =>
        $"{options.Value.Issuer.TrimEnd('/')}/account/accept-invitation?token={Uri.EscapeDataString(token)}";
}
