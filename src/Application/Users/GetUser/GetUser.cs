using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using MediatR;

namespace CrmTenancy.Application.Users.GetUser;

public sealed record GetUser(Guid Id) : IGetById<User, UserDto>, ITenantAdminRequest;

public sealed class GetUserHandler(IReadRepository<User> users, ITenantContext tenant) : IRequestHandler<GetUser, UserDto>
{
    public Task<UserDto> Handle(GetUser request, CancellationToken cancellationToken) =>
        users.GetDtoAsync<User, UserDto>(tenant, request.Id, cancellationToken);
}
