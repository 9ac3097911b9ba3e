using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Tenants;

namespace CrmTenancy.UnitTests.Domain.Tenants;

public sealed class TenantTests
{
    [Theory]
    [InlineData("acme", "acme")]
    [InlineData("a", "a")]
    [InlineData("7", "7")]
    [InlineData("acme-corp", "acme-corp")]
    [InlineData("acme--corp", "acme--corp")]
    [InlineData("team42", "team42")]
    [InlineData("42", "42")]
    [InlineData("ACME", "acme")]
    [InlineData("Acme-Corp", "acme-corp")]
    [InlineData("  acme  ", "acme")]
    public void Create_accepts_a_valid_slug_and_stores_it_lowercased_and_trimmed(string slug, string expected)
    {
        var tenant = Tenant.Create("Acme", slug);

        Assert.Equal(expected, tenant.Slug);
    }

    [Fact]
    public void Create_accepts_a_slug_of_63_characters()
    {
        var slug = new string('a', Tenant.SlugMaxLength);

        Assert.Equal(slug, Tenant.Create("Acme", slug).Slug);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("acme corp")]
    [InlineData("acme_corp")]
    [InlineData("acme.io")]
    [InlineData("acmé")]
    [InlineData("acme/x")]
    [InlineData("acme\nx")]
    public void Create_refuses_an_invalid_slug(string? slug)
    {
        var error = Assert.Throws<DomainRuleException>(() => Tenant.Create("Acme", slug!));

        Assert.Equal("slug-invalid", error.Rule);
    }

    [Fact]
    public void Create_refuses_a_slug_of_64_characters()
    {
        var error = Assert.Throws<DomainRuleException>(() => Tenant.Create("Acme", new string('a', Tenant.SlugMaxLength + 1)));

        Assert.Equal("slug-invalid", error.Rule);
    }

    [Fact]
    public void Create_starts_an_active_tenant_with_a_trimmed_name()
    {
        var tenant = Tenant.Create("  Acme Ltd ", "acme");

        Assert.Equal("Acme Ltd", tenant.Name);
        Assert.Equal(TenantStatus.Active, tenant.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_requires_a_name(string name)
    {
        var error = Assert.Throws<DomainRuleException>(() => Tenant.Create(name, "acme"));

        Assert.Equal("name-required", error.Rule);
    }

    [Fact]
    public void Create_refuses_a_name_longer_than_the_maximum()
    {
        var error = Assert.Throws<DomainRuleException>(() => Tenant.Create(new string('n', Tenant.NameMaxLength + 1), "acme"));

        Assert.Equal("name-too-long", error.Rule);
    }

    [Fact]
    public void Suspend_suspends_an_active_tenant()
    {
        var tenant = Tenant.Create("Acme", "acme");

        tenant.Suspend("Test suspension", DateTimeOffset.UtcNow);

        Assert.Equal(TenantStatus.Suspended, tenant.Status);
    }

    [Fact]
    public void Suspend_of_a_suspended_tenant_is_refused()
    {
        var tenant = Tenant.Create("Acme", "acme");
        tenant.Suspend("Test suspension", DateTimeOffset.UtcNow);

        var error = Assert.Throws<DomainRuleException>(() => tenant.Suspend("Again", DateTimeOffset.UtcNow));

        Assert.Equal("tenant-already-suspended", error.Rule);
    }

    [Fact]
    public void Reactivate_reactivates_a_suspended_tenant()
    {
        var tenant = Tenant.Create("Acme", "acme");
        tenant.Suspend("Test suspension", DateTimeOffset.UtcNow);

        tenant.Reactivate();

        Assert.Equal(TenantStatus.Active, tenant.Status);
    }

    [Fact]
    public void Reactivate_of_an_active_tenant_is_refused()
    {
        var tenant = Tenant.Create("Acme", "acme");

        var error = Assert.Throws<DomainRuleException>(tenant.Reactivate);

        Assert.Equal("tenant-already-active", error.Rule);
        Assert.Equal(TenantStatus.Active, tenant.Status);
    }
}
