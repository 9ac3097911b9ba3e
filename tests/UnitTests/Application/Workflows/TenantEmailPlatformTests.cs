using CrmTenancy.Application.Workflows;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Workflows;

/// <summary>A tenant's view of the shared platform: writes carry its prefix, reads ask by it and keep only what has it.</summary>
public sealed class TenantEmailPlatformTests
{
    private const string A = "ct-aaaaaaaa-";
    private const string B = "ct-bbbbbbbb-";
    private readonly IEmailPlatform _platform = Substitute.For<IEmailPlatform>();

    [Fact]
    public async Task Every_tag_written_carries_the_prefix()
    {
        var tenant = new TenantEmailPlatform(_platform, A);
        await tenant.TagAsync("sam@example.com", "vip", "k1", CancellationToken.None);
        await tenant.UntagAsync("sam@example.com", "vip", "k2", CancellationToken.None);
        await tenant.SendAsync("sam@example.com", "Hi", "text", "<p>html</p>", "k3", CancellationToken.None);

        await _platform.Received(1).UpsertContactAsync("sam@example.com", Arg.Is<IReadOnlyCollection<string>>(t => t.SequenceEqual(new[] { A + "vip" })), "k1", Arg.Any<CancellationToken>());
        await _platform.Received(1).RemoveTagAsync("sam@example.com", A + "vip", "k2", Arg.Any<CancellationToken>());
        await _platform.Received(1).SendAsync(Arg.Is<PlatformEmail>(e => e.Tags.SequenceEqual(new[] { A + "automation" }) && e.IdempotencyKey == "k3"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_read_asks_by_the_prefix_and_drops_other_tenants_tags_and_contacts_without_the_tag()
    {
        _platform.ListContactsByTagAsync(A + "vip", Arg.Any<CancellationToken>()).Returns(
        [
            new PlatformContact("sam@example.com", [A + "vip", B + "vip", B + "secret", "untagged-by-anyone"]),
            // A platform that answers loosely: a contact without the asked tag is not the tenant's.
            new PlatformContact("other@example.com", [B + "vip"]),
        ]);
        var contacts = await new TenantEmailPlatform(_platform, A).ContactsTaggedAsync("vip", CancellationToken.None);

        var only = Assert.Single(contacts);
        Assert.Equal("sam@example.com", only.Email);
        Assert.Equal(["vip"], only.Tags);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ct-short-")]
    [InlineData("CT-AAAAAAAA-")]
    [InlineData("xx-aaaaaaaa-")]
    public void A_malformed_prefix_is_refused(string prefix) =>
        Assert.Throws<ArgumentException>(() => new TenantEmailPlatform(_platform, prefix));
}
