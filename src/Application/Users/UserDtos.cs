using AutoMapper;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.Application.Users;

public sealed class UserDto
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
}

public sealed class InvitationDto
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    public UserRole Role { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
}

public sealed class UserMappingProfile : Profile
{
    public UserMappingProfile()
    {
        CreateMap<User, UserDto>().ForMember(d => d.Active, o => o.MapFrom(u => u.DeactivatedAt == null));
        CreateMap<Invitation, InvitationDto>();
    }
}
