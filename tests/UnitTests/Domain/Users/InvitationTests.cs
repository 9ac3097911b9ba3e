using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.UnitTests.Domain.Users;

public sealed class InvitationTests
{
    private static readonly Guid Tenant = Guid.CreateVersion7();
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private static Invitation New() => Invitation.Create(Tenant, "New@Example.com", UserRole.Member, "hash", "sealed", null, Now);

    [Fact]
    public void An_invitation_is_pending_for_its_lifetime_and_no_longer()
    {
        var invitation = New();
        Assert.Equal("NEW@EXAMPLE.COM", invitation.NormalizedEmail);
        Assert.True(invitation.IsPending(Now + Invitation.Lifetime - TimeSpan.FromSeconds(1)));
        Assert.False(invitation.IsPending(Now + Invitation.Lifetime));
        Assert.Equal("invitation-invalid",
            Assert.Throws<DomainRuleException>(() => invitation.Accept(Guid.CreateVersion7(), Now + Invitation.Lifetime)).Rule);
    }

    [Fact]
    public void An_invitation_is_accepted_once()
    {
        var invitation = New();
        var user = Guid.CreateVersion7();
        invitation.Accept(user, Now);
        Assert.Equal((user, Now), (invitation.AcceptedUserId!.Value, invitation.AcceptedAt!.Value));
        Assert.Equal("invitation-invalid", Assert.Throws<DomainRuleException>(() => invitation.Accept(Guid.CreateVersion7(), Now)).Rule);
        Assert.Equal("invitation-accepted", Assert.Throws<DomainRuleException>(() => invitation.Revoke(Now)).Rule);
    }

    [Fact]
    public void A_revoked_invitation_cannot_be_accepted()
    {
        var invitation = New();
        invitation.Revoke(Now);
        Assert.False(invitation.IsPending(Now));
        Assert.Throws<DomainRuleException>(() => invitation.Accept(Guid.CreateVersion7(), Now));
    }
}
