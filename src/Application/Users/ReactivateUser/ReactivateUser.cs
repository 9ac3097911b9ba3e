using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using MediatR;

namespace CrmTenancy.Application.Users.ReactivateUser;

public sealed record ReactivateUser(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class ReactivateUserHandler(IRepository<User> users, ITenantContext tenant) : IRequestHandler<ReactivateUser, Unit>
{
    public async Task<Unit> Handle(ReactivateUser request, CancellationToken cancellationToken)
    {
        var user = await users.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        user.Reactivate();
        return Unit.Value;
    }
}
