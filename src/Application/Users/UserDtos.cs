using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Users;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Users;

public sealed class UserDto : IProjection<User, UserDto>, IVersioned
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public UserRole Role { get; init; }
    public bool Active { get; init; }
    public DateTimeOffset? DeactivatedAt { get; init; }
    public DateTimeOffset? LastSignInAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Version { get; init; }

    static IQueryable<UserDto> IProjection<User, UserDto>.ProjectFrom(IQueryable<User> source) => UserMapper.ProjectToDto(source);
}

public sealed class InvitationDto : IProjection<Invitation, InvitationDto>, IVersioned
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    public UserRole Role { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public int Version { get; init; }

    static IQueryable<InvitationDto> IProjection<Invitation, InvitationDto>.ProjectFrom(IQueryable<Invitation> source) =>
        UserMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class UserMapper
{
    /// <summary>Uses <see cref="ToDto(User)"/>'s configuration, inlined into the SELECT.</summary>
    public static partial IQueryable<UserDto> ProjectToDto(IQueryable<User> source);

    [MapPropertyFromSource(nameof(UserDto.Active), Use = nameof(IsActive))]
    public static partial UserDto ToDto(User user);

    public static partial IQueryable<InvitationDto> ProjectToDto(IQueryable<Invitation> source);

    private static bool IsActive(User user) => user.DeactivatedAt == null;
}
