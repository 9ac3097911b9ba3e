using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Application.Privacy.ErasePerson;
using CrmTenancy.Application.Workflows;
using CrmTenancy.Domain.Privacy;
using CrmTenancy.Domain.Tenants;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Privacy;

/// <summary>After an erasure, the tenant's tags leave the address on the shared platform, each under the tenant's prefix.</summary>
public sealed class RemovePlatformTagsTests
{
    private readonly IEmailPlatform _platform = Substitute.For<IEmailPlatform>();
    private readonly IReadRepository<Tenant> _tenants = Substitute.For<IReadRepository<Tenant>>();
    private readonly ITenantContext _tenant = Substitute.For<ITenantContext>();

    [Fact]
    public async Task Each_tag_is_removed_under_the_tenants_prefix_with_a_key_of_the_message_and_the_tag()
    {
        var tenant = Tenant.Create("Acme", "acme");
        _tenant.TenantId.Returns(tenant.Id);
        _tenant.IsResolved.Returns(true);
        _tenants.FirstOrDefaultAsync(Arg.Any<ISpecification<Tenant>>(), Arg.Any<CancellationToken>()).Returns(tenant);
        var message = Guid.NewGuid();

        await new RemovePlatformTags(_platform, _tenants, _tenant).HandleAsync(
            new PersonErased(tenant.Id, Guid.NewGuid(), "erin@example.com", ["automation", "vip"]),
            new IntegrationEventContext(message, 1, DateTimeOffset.UtcNow), CancellationToken.None);

        await _platform.Received(1).RemoveTagAsync("erin@example.com", tenant.TagPrefix + "automation", $"{message:N}:automation", Arg.Any<CancellationToken>());
        await _platform.Received(1).RemoveTagAsync("erin@example.com", tenant.TagPrefix + "vip", $"{message:N}:vip", Arg.Any<CancellationToken>());
        Assert.Equal(2, _platform.ReceivedCalls().Count());
    }

    [Fact]
    public async Task Nothing_is_sent_when_the_tenant_is_gone()
    {
        _tenant.TenantId.Returns(Guid.NewGuid());
        _tenants.FirstOrDefaultAsync(Arg.Any<ISpecification<Tenant>>(), Arg.Any<CancellationToken>()).Returns((Tenant?)null);

        await new RemovePlatformTags(_platform, _tenants, _tenant).HandleAsync(
            new PersonErased(Guid.NewGuid(), Guid.NewGuid(), "erin@example.com", ["vip"]),
            new IntegrationEventContext(Guid.NewGuid(), 1, DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Empty(_platform.ReceivedCalls());
    }
}
