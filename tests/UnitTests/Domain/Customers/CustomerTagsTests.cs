using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;

namespace CrmTenancy.UnitTests.Domain.Customers;

public sealed class CustomerTagsTests
{
    [Theory]
    [InlineData("vip", "vip")]
    [InlineData("VIP", "vip")]
    [InlineData("  VIP  Client ", "vip-client")]
    [InlineData("VIP_Client", "vip-client")]
    [InlineData("vip--client", "vip-client")]
    [InlineData("vip - _ client", "vip-client")]
    [InlineData("a\tb\nc", "a-b-c")]
    [InlineData("-vip-", "vip")]
    [InlineData("__vip client__", "vip-client")]
    [InlineData("Q3 2024", "q3-2024")]
    [InlineData("C#", "c#")]
    [InlineData("Ünïcode Tag", "ünïcode-tag")]
    public void Normalise_lowercases_trims_and_collapses_separators_into_one_hyphen(string tag, string expected)
    {
        Assert.Equal(expected, CustomerTags.Normalise(tag));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-")]
    [InlineData("---")]
    [InlineData(" _ - _ ")]
    public void Normalise_refuses_a_tag_without_any_content(string tag)
    {
        var error = Assert.Throws<DomainRuleException>(() => CustomerTags.Normalise(tag));

        Assert.Equal("tag-empty", error.Rule);
    }

    [Fact]
    public void Normalise_accepts_a_tag_of_exactly_the_maximum_length()
    {
        var tag = new string('a', CustomerTags.MaxLength);

        Assert.Equal(tag, CustomerTags.Normalise(tag));
    }

    [Fact]
    public void Normalise_refuses_a_tag_longer_than_the_maximum()
    {
        var error = Assert.Throws<DomainRuleException>(() => CustomerTags.Normalise(new string('a', CustomerTags.MaxLength + 1)));

        Assert.Equal("tag-too-long", error.Rule);
    }

    [Fact]
    public void Normalise_measures_the_length_after_collapsing_separators()
    {
        // 25 + 5 spaces + 24 = 54 characters raw; "a...a-b...b" is 50 once normalised.
        var raw = new string('a', 25) + "     " + new string('b', 24);

        var normalised = CustomerTags.Normalise(raw);

        Assert.Equal(CustomerTags.MaxLength, normalised.Length);
        Assert.Equal(new string('a', 25) + "-" + new string('b', 24), normalised);
    }

    [Theory]
    [InlineData("  VIP  Client ")]
    [InlineData("a__b")]
    [InlineData("x")]
    public void Normalise_is_idempotent(string tag)
    {
        var once = CustomerTags.Normalise(tag);

        Assert.Equal(once, CustomerTags.Normalise(once));
    }
}
