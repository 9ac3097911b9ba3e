using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Domain.Users;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Users.ListUsers;

/// <summary>The tenant's team, active and deactivated.</summary>
public sealed record ListUsers(int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<UserDto>>, IPagedQuery, ITenantAdminRequest;

public sealed class ListUsersValidator : AbstractValidator<ListUsers>
{
    public ListUsersValidator() => this.ApplyPagingRules();
}

public sealed class ListUsersHandler(IReadRepository<User> users, ITenantContext tenant) : IRequestHandler<ListUsers, PagedResult<UserDto>>
{
    public Task<PagedResult<UserDto>> Handle(ListUsers request, CancellationToken cancellationToken) =>
        users.ProjectPageAsync<User, UserDto>(new UserListSpecification(tenant, request.Page, request.PageSize), cancellationToken);
}
