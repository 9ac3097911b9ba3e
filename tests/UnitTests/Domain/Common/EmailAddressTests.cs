using CrmTenancy.Domain.Common;

namespace CrmTenancy.UnitTests.Domain.Common;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("ann@acme.test", "ANN@ACME.TEST")]
    [InlineData("  Ann@Acme.Test ", "ANN@ACME.TEST")]
    public void An_address_is_compared_trimmed_and_upper_case(string given, string normalized)
    {
        Assert.Equal(normalized, EmailAddress.Normalize(given));
        Assert.Equal(normalized, EmailAddress.From(given).Normalized);
        Assert.Equal(given.Trim(), EmailAddress.From(given).Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_optional_address_has_no_normalized_form(string? given) => Assert.Null(EmailAddress.NormalizeOptional(given));

    [Fact]
    public void A_required_address_refuses_blank_and_too_long()
    {
        Assert.Equal("email-required", Assert.Throws<DomainRuleException>(() => EmailAddress.From(" ")).Rule);
        Assert.Equal("email-too-long", Assert.Throws<DomainRuleException>(() => EmailAddress.From(new string('a', FieldLengths.Email + 1))).Rule);
    }
}
