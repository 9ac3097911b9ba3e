using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Tenants;

namespace CrmTenancy.UnitTests.Domain.Tenants;

public sealed class SlugTests
{
    [Theory]
    [InlineData("acme", "acme")]
    [InlineData(" Acme-2 ", "acme-2")]
    [InlineData("a", "a")]
    public void A_valid_slug_is_kept_trimmed_and_lowercase(string given, string expected)
    {
        Assert.True(Slug.IsValid(given));
        Assert.Equal(expected, Slug.From(given).Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ac me")]
    [InlineData("acmé")]
    public void An_invalid_slug_is_refused(string? given)
    {
        Assert.False(Slug.IsValid(given));
        Assert.Equal("slug-invalid", Assert.Throws<DomainRuleException>(() => Slug.From(given)).Rule);
    }

    [Fact]
    public void A_slug_is_at_most_63_characters()
    {
        Assert.True(Slug.IsValid(new string('a', Slug.MaxLength)));
        Assert.False(Slug.IsValid(new string('a', Slug.MaxLength + 1)));
    }
}
