using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Users.ChangeUserRole;
using CrmTenancy.Application.Users.InviteUser;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using CrmTenancy.UnitTests.Support;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Users;

public sealed class TeamHandlerTests
{
    private readonly ITenantContext _tenant = TestData.TenantContext(TestData.TenantA);
    private readonly Tenant _tenantRow = Tenant.Create("Tenant A", "tenant-a", TestData.TenantA);

    [Fact]
    public async Task Demoting_the_last_active_admin_is_a_conflict_and_changes_nothing()
    {
        var admin = User.Create(TestData.TenantA, "admin@a.example", "Admin", UserRole.TenantAdmin);
        var otherTenantsAdmin = User.Create(TestData.TenantB, "admin@b.example", "Admin B", UserRole.TenantAdmin);
        var users = InMemory.Repository(TestData.TenantA, admin, otherTenantsAdmin);

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            new ChangeUserRoleHandler(users, Tenants(), _tenant, TimeProvider.System).Handle(new ChangeUserRole(admin.Id, UserRole.Member), CancellationToken.None));

        Assert.Equal("last-admin", error.Code);
        Assert.Equal(UserRole.TenantAdmin, admin.Role);
        Assert.Null(_tenantRow.AdminsChangedAt);
    }

    [Fact]
    public async Task Demoting_an_admin_while_another_is_active_marks_the_tenant_so_a_concurrent_demotion_conflicts()
    {
        var admin = User.Create(TestData.TenantA, "admin@a.example", "Admin", UserRole.TenantAdmin);
        var deputy = User.Create(TestData.TenantA, "deputy@a.example", "Deputy", UserRole.TenantAdmin);
        var users = InMemory.Repository(TestData.TenantA, admin, deputy);

        await new ChangeUserRoleHandler(users, Tenants(), _tenant, TimeProvider.System).Handle(new ChangeUserRole(deputy.Id, UserRole.Member), CancellationToken.None);

        Assert.Equal(UserRole.Member, deputy.Role);
        Assert.NotNull(_tenantRow.AdminsChangedAt);
    }

    [Fact]
    public async Task Inviting_an_existing_users_email_is_a_conflict_and_sends_nothing()
    {
        var users = InMemory.Repository(TestData.TenantA, User.Create(TestData.TenantA, "ann@a.example", "Ann", UserRole.Member));
        var invitations = InMemory.Repository<Invitation>(TestData.TenantA);
        var email = Substitute.For<IEmailSender>();

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            Handler(invitations, users, email).Handle(new InviteUser("ANN@a.example", UserRole.Member), CancellationToken.None));

        Assert.Equal("user-exists", error.Code);
        invitations.DidNotReceiveWithAnyArgs().Add(default!);
        await email.DidNotReceiveWithAnyArgs().SendAsync(default!, default);
    }

    [Fact]
    public async Task An_invitation_stores_only_the_hash_of_the_token_it_mails_and_replaces_a_pending_one()
    {
        var pending = Invitation.Create(TestData.TenantA, "new@a.example", UserRole.Member, "old-hash", null, DateTimeOffset.UtcNow);
        var invitations = InMemory.Repository(TestData.TenantA, pending);
        var email = Substitute.For<IEmailSender>();
        EmailMessage? sent = null;
        await email.SendAsync(Arg.Do<EmailMessage>(m => sent = m), Arg.Any<CancellationToken>());

        await Handler(invitations, InMemory.Repository<User>(TestData.TenantA), email).Handle(new InviteUser("new@a.example", UserRole.TenantAdmin), CancellationToken.None);

        Assert.NotNull(pending.RevokedAt);
        Assert.NotNull(sent);
        Assert.Equal("new@a.example", sent.To);
        var token = sent.TextBody.Split("Invitation token: ")[1].Trim();
        Assert.True(OpaqueHandle.TryReadTenant(token, out var tenant));
        Assert.Equal(TestData.TenantA, tenant);
        invitations.Received(1).Add(Arg.Is<Invitation>(i => i.TokenHash == OpaqueHandle.Hash(token) && i.Role == UserRole.TenantAdmin
                                                            && !sent.TextBody.Contains(i.TokenHash)));
    }

    private static InviteUserHandler Handler(IRepository<Invitation> invitations, IRepository<User> users, IEmailSender email)
    {
        var links = Substitute.For<IPublicLinks>();
        links.AcceptInvitation(Arg.Any<string>()).Returns(call => $"https://crm.test/accept?token={call.Arg<string>()}");
        return new InviteUserHandler(invitations, users, TestData.TenantContext(TestData.TenantA), TestData.User(TestData.UserId), email, links, TimeProvider.System);
    }

    private IRepository<Tenant> Tenants()
    {
        var tenants = Substitute.For<IRepository<Tenant>>();
        tenants.FirstOrDefaultAsync(Arg.Any<ISpecification<Tenant>>(), Arg.Any<CancellationToken>())
            .Returns(call => InMemory.Evaluate(call.Arg<ISpecification<Tenant>>(), [_tenantRow]).FirstOrDefault());
        return tenants;
    }
}
