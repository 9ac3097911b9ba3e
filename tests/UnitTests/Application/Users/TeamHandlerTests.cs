using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Users.ChangeUserRole;
using CrmTenancy.Application.Common.Events;
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
    public async Task Inviting_an_existing_users_email_is_a_conflict_and_issues_nothing()
    {
        var users = InMemory.Repository(TestData.TenantA, User.Create(TestData.TenantA, "ann@a.example", "Ann", UserRole.Member));
        var invitations = InMemory.Repository<Invitation>(TestData.TenantA);

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            Handler(invitations, users).Handle(new InviteUser("ANN@a.example", UserRole.Member), CancellationToken.None));

        Assert.Equal("user-exists", error.Code);
        invitations.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task An_invitation_stores_only_the_hash_of_its_token_seals_the_token_for_its_email_and_replaces_a_pending_one()
    {
        var pending = Invitation.Create(TestData.TenantA, "new@a.example", UserRole.Member, "old-hash", "sealed", null, DateTimeOffset.UtcNow);
        var invitations = InMemory.Repository(TestData.TenantA, pending);
        Invitation? added = null;
        invitations.Add(Arg.Do<Invitation>(i => added = i));

        await Handler(invitations, InMemory.Repository<User>(TestData.TenantA)).Handle(new InviteUser("new@a.example", UserRole.TenantAdmin), CancellationToken.None);

        Assert.NotNull(pending.RevokedAt);
        Assert.NotNull(added);
        var issued = Assert.IsType<InvitationIssued>(Assert.Single(added.DomainEvents));
        var token = Secrets().Open(issued.SealedToken)!;
        Assert.True(OpaqueHandle.TryReadTenant(token, out var tenant));
        Assert.Equal(TestData.TenantA, tenant);
        Assert.Equal(OpaqueHandle.Hash(token), added.TokenHash);
        Assert.Equal((TestData.TenantA, added.Id, "new@a.example", UserRole.TenantAdmin), (issued.TenantId, issued.InvitationId, issued.Email, issued.Role));
    }

    [Fact]
    public async Task The_invitation_email_carries_the_unsealed_token_and_a_seal_that_does_not_open_sends_nothing()
    {
        var email = Substitute.For<IEmailSender>();
        EmailMessage? sent = null;
        await email.SendAsync(Arg.Do<EmailMessage>(m => sent = m), Arg.Any<CancellationToken>());
        var links = Substitute.For<IPublicLinks>();
        links.AcceptInvitation(Arg.Any<string>()).Returns(call => $"https://crm.test/accept?token={call.Arg<string>()}");
        var consumer = new InvitationEmailConsumer(email, links, Secrets());
        var context = new IntegrationEventContext(Guid.NewGuid(), 1, DateTimeOffset.UtcNow);

        await consumer.HandleAsync(Issued("sealed:the-token"), context, CancellationToken.None);
        await consumer.HandleAsync(Issued("not a seal"), context, CancellationToken.None);

        await email.ReceivedWithAnyArgs(1).SendAsync(default!, default);
        Assert.Equal("new@a.example", sent!.To);
        Assert.Contains("https://crm.test/accept?token=the-token", sent.TextBody);
        Assert.Contains("Invitation token: the-token", sent.TextBody);
    }

    private static InvitationIssued Issued(string sealedToken) =>
        new(TestData.TenantA, Guid.NewGuid(), "new@a.example", UserRole.Member, DateTimeOffset.UtcNow.AddDays(7), sealedToken);

    /// <summary>A stand-in seal that shows what it sealed ("sealed:" + secret); the real one is Data Protection.</summary>
    private static ISealedSecrets Secrets()
    {
        var secrets = Substitute.For<ISealedSecrets>();
        secrets.Seal(Arg.Any<string>(), Arg.Any<TimeSpan>()).Returns(call => "sealed:" + call.Arg<string>());
        secrets.Open(Arg.Any<string>()).Returns(call => call.Arg<string>() is { } s && s.StartsWith("sealed:", StringComparison.Ordinal) ? s["sealed:".Length..] : null);
        return secrets;
    }

    private static InviteUserHandler Handler(IRepository<Invitation> invitations, IRepository<User> users) =>
        new(invitations, users, TestData.TenantContext(TestData.TenantA), TestData.User(TestData.UserId), Secrets(), TimeProvider.System);

    private IRepository<Tenant> Tenants()
    {
        var tenants = Substitute.For<IRepository<Tenant>>();
        tenants.FirstOrDefaultAsync(Arg.Any<ISpecification<Tenant>>(), Arg.Any<CancellationToken>())
            .Returns(call => InMemory.Evaluate(call.Arg<ISpecification<Tenant>>(), [_tenantRow]).FirstOrDefault());
        return tenants;
    }
}
