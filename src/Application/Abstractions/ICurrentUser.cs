namespace CrmTenancy.Application.Abstractions;

/// <summary>The authenticated caller: a user (subject) or an integration (client), with its granted scopes.</summary>
public interface ICurrentUser
{
    /// <summary>The user id when a user is signed in; none for client-credentials callers.</summary>
    Guid? UserId { get; }

    string? ClientId { get; }

    /// <summary>A short stable name of the caller for audit fields: "user:{id}" or "client:{id}".</summary>
    string? Actor { get; }

    IReadOnlySet<string> Scopes { get; }

    /// <summary>The signed-in user's roles (TenantAdmin, Member or PlatformAdmin); none for a client.</summary>
    IReadOnlySet<string> Roles { get; }

    /// <summary>True for a signed-in user with the TenantAdmin role (clients and members are not).</summary>
    bool IsTenantAdmin => Roles.Contains(nameof(Domain.Users.UserRole.TenantAdmin));
}
