using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Behaviours;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Common.Behaviours;

/// <summary>A command only a tenant's administrator may send.</summary>
public sealed record AdminOnlyCommand : ICommand<int>, ITenantAdminRequest;

/// <summary>The tenant guard's last lock: <see cref="ITenantAdminRequest"/> runs for a signed-in TenantAdmin only, whatever the scopes.</summary>
public sealed class TenantAdminGuardTests
{
    private static ITenantContext Resolved()
    {
        var tenant = Substitute.For<ITenantContext>();
        tenant.IsResolved.Returns(true);
        return tenant;
    }

    private static ICurrentUser Caller(Guid? userId, string[] roles, params string[] scopes)
    {
        var user = Substitute.For<ICurrentUser>();
        user.UserId.Returns(userId);
        user.Roles.Returns(roles.ToHashSet());
        user.Scopes.Returns(scopes.ToHashSet());
        // IsTenantAdmin is a default interface member, and the substitute intercepts it too: answer it from the roles.
        user.IsTenantAdmin.Returns(roles.Contains(nameof(UserRole.TenantAdmin)));
        return user;
    }

    public static TheoryData<string, string[]> NonAdmins => new()
    {
        { "member with every scope", [nameof(UserRole.Member)] },
        { "client", [] },
        { "platform operator", ["PlatformAdmin"] },
    };

    [Theory]
    [MemberData(nameof(NonAdmins))]
    public async Task A_non_admin_is_refused_before_the_handler(string caller, string[] roles)
    {
        var calls = 0;
        var userId = caller == "client" ? (Guid?)null : Guid.NewGuid();
        var behaviour = new TenantGuardBehaviour<AdminOnlyCommand, int>(
            Resolved(), Caller(userId, roles, Scopes.Read, Scopes.Write, Scopes.Admin, Scopes.Platform));

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() =>
            behaviour.Handle(new AdminOnlyCommand(), CancellationToken.None, () => Task.FromResult(++calls)));

        Assert.Equal(0, calls);
        Assert.Contains("administrators", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_admin_reaches_the_handler()
    {
        var behaviour = new TenantGuardBehaviour<AdminOnlyCommand, int>(Resolved(), Caller(Guid.NewGuid(), [nameof(UserRole.TenantAdmin)], Scopes.Admin));

        Assert.Equal(9, await behaviour.Handle(new AdminOnlyCommand(), CancellationToken.None, () => Task.FromResult(9)));
    }

    [Fact]
    public async Task A_non_admin_may_still_send_ordinary_commands()
    {
        var behaviour = new TenantGuardBehaviour<TenantCommand, int>(Resolved(), Caller(Guid.NewGuid(), [nameof(UserRole.Member)], Scopes.Write));

        Assert.Equal(4, await behaviour.Handle(new TenantCommand(), CancellationToken.None, () => Task.FromResult(4)));
    }

    [Fact]
    public async Task An_admin_request_without_a_tenant_is_refused_as_tenant_required_first()
    {
        var tenant = Substitute.For<ITenantContext>();
        tenant.IsResolved.Returns(false);
        var behaviour = new TenantGuardBehaviour<AdminOnlyCommand, int>(tenant, Caller(Guid.NewGuid(), [nameof(UserRole.TenantAdmin)], Scopes.Admin));

        await Assert.ThrowsAsync<TenantRequiredException>(() =>
            behaviour.Handle(new AdminOnlyCommand(), CancellationToken.None, () => Task.FromResult(1)));
    }
}
