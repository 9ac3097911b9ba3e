using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Behaviours;
using CrmTenancy.Application.Common.Errors;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Common.Behaviours;

public sealed class TenantGuardBehaviourTests
{
    private static ICurrentUser User(params string[] scopes)
    {
        var user = Substitute.For<ICurrentUser>();
        user.Scopes.Returns(scopes.ToHashSet());
        return user;
    }

    private static ITenantContext Tenant(bool resolved)
    {
        var tenant = Substitute.For<ITenantContext>();
        tenant.IsResolved.Returns(resolved);
        return tenant;
    }

    [Fact]
    public async Task A_command_without_a_resolved_tenant_is_refused_before_the_handler()
    {
        var calls = 0;
        var behaviour = new TenantGuardBehaviour<TenantCommand, int>(Tenant(resolved: false), User());

        await Assert.ThrowsAsync<TenantRequiredException>(() =>
            behaviour.Handle(new TenantCommand(), CancellationToken.None, () => Task.FromResult(++calls)));

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task A_query_without_a_resolved_tenant_is_refused()
    {
        var behaviour = new TenantGuardBehaviour<TenantQuery, int>(Tenant(resolved: false), User());

        await Assert.ThrowsAsync<TenantRequiredException>(() =>
            behaviour.Handle(new TenantQuery(), CancellationToken.None, () => Task.FromResult(1)));
    }

    [Fact]
    public async Task A_request_that_is_neither_command_nor_query_is_tenant_scoped_too()
    {
        var behaviour = new TenantGuardBehaviour<BareRequest, int>(Tenant(resolved: false), User());

        await Assert.ThrowsAsync<TenantRequiredException>(() =>
            behaviour.Handle(new BareRequest(), CancellationToken.None, () => Task.FromResult(1)));
    }

    [Fact]
    public async Task A_command_allowed_without_tenant_passes_without_a_resolved_tenant()
    {
        var behaviour = new TenantGuardBehaviour<SignUpCommand, int>(Tenant(resolved: false), User());

        var result = await behaviour.Handle(new SignUpCommand(), CancellationToken.None, () => Task.FromResult(42));

        Assert.Equal(42, result);
    }

    [Fact]
    public async Task A_query_allowed_without_tenant_passes_without_a_resolved_tenant()
    {
        var behaviour = new TenantGuardBehaviour<WithoutTenantQuery, int>(Tenant(resolved: false), User());

        var result = await behaviour.Handle(new WithoutTenantQuery(), CancellationToken.None, () => Task.FromResult(7));

        Assert.Equal(7, result);
    }

    [Fact]
    public async Task A_command_with_a_resolved_tenant_reaches_the_handler()
    {
        var behaviour = new TenantGuardBehaviour<TenantCommand, int>(Tenant(resolved: true), User());

        var result = await behaviour.Handle(new TenantCommand(), CancellationToken.None, () => Task.FromResult(3));

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task A_platform_request_runs_for_a_caller_with_the_platform_scope_and_no_tenant()
    {
        var behaviour = new TenantGuardBehaviour<PlatformQuery, int>(Tenant(resolved: false), User(Scopes.Platform));

        Assert.Equal(5, await behaviour.Handle(new PlatformQuery(), CancellationToken.None, () => Task.FromResult(5)));
    }

    [Theory]
    [InlineData(false, "crm.read")]
    [InlineData(true, "platform.admin")]
    [InlineData(true, "crm.read")]
    public async Task A_platform_request_is_forbidden_to_tenant_callers_and_to_callers_without_the_platform_scope(bool tenantResolved, string scope)
    {
        var calls = 0;
        var behaviour = new TenantGuardBehaviour<PlatformQuery, int>(Tenant(tenantResolved), User(scope));

        await Assert.ThrowsAsync<ForbiddenException>(() =>
            behaviour.Handle(new PlatformQuery(), CancellationToken.None, () => Task.FromResult(++calls)));
        Assert.Equal(0, calls);
    }
}
