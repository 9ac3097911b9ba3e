using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// Passwords, through ASP.NET Core Identity: its validators, its hasher and its normalisation. The user is added
/// to the unit of work, which the command's transaction saves; weak passwords raise a validation error on "password".
/// </summary>
public interface IUserAccounts
{
    Task CreateAsync(User user, string password, CancellationToken cancellationToken);
}

/// <summary>
/// A message to one address; with an HTML body it goes as multipart/alternative (text and HTML). A message sent again
/// after a crash carries the same <paramref name="Key"/> and <paramref name="At"/>, so the sender can tell it is one message.
/// </summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string? HtmlBody = null, Guid? Key = null, DateTimeOffset? At = null);

/// <summary>Sends mail. The development sender stores each message as a file instead (README: reading the mail).</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>Where the caller is sent to accept an invitation and sign in (the authorization server's public address).</summary>
/// <summary>
/// Seals a secret that must travel through the database to a later step (an invitation token on its way to the email
/// the outbox sends): encrypted and authenticated with a key that is not in the database, valid for a given time.
/// </summary>
public interface ISealedSecrets
{
    string Seal(string secret, TimeSpan lifetime);

    /// <summary>The secret, or null when the seal is not one of ours, was tampered with or has expired.</summary>
    string? Open(string sealedSecret);
}

public interface IPublicLinks
{
    string AcceptInvitation(string token);
}

public sealed record ClientSummary(
    Guid Id, string ClientId, string Name, IReadOnlyList<string> Scopes, IReadOnlyList<string> RedirectUris,
    DateTimeOffset CreatedAt, DateTimeOffset? SecretRotatedAt, DateTimeOffset? RevokedAt, int Version) : IVersioned;

public sealed record ClientWithSecret(ClientSummary Client, string ClientSecret);

/// <summary>
/// The tenant's confidential OAuth2 clients (integrations). Secrets are generated here, returned once and stored
/// hashed. Every method takes the tenant explicitly; the store's row-level security binds it as well.
/// </summary>
public interface IClientRegistry
{
    Task<IReadOnlyList<ClientSummary>> ListAsync(Guid tenantId, CancellationToken cancellationToken);

    Task<ClientSummary?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken);

    Task<ClientWithSecret> RegisterAsync(
        Guid tenantId, string name, IReadOnlyList<string> scopes, IReadOnlyList<string> redirectUris, CancellationToken cancellationToken);

    /// <summary>
    /// A new secret for an active client (the old one stops working) and the client's new version; null when there is no
    /// such client. Throws <see cref="Common.Errors.PreconditionFailedException"/> when <paramref name="expectedVersion"/>
    /// is given and is not the client's version.
    /// </summary>
    Task<(string Secret, int Version)?> RotateSecretAsync(Guid tenantId, Guid id, int? expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes the client: its secret and its access tokens stop working. False when there is no such client; a
    /// precondition failure as for <see cref="RotateSecretAsync"/>.
    /// </summary>
    Task<bool> RevokeAsync(Guid tenantId, Guid id, int? expectedVersion, CancellationToken cancellationToken);
}
