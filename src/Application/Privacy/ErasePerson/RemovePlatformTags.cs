using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Application.Workflows;
using CrmTenancy.Domain.Privacy;
using CrmTenancy.Domain.Tenants;

namespace CrmTenancy.Application.Privacy.ErasePerson;

/// <summary>
/// After an erasure commits: the tenant's tags are removed from the address on the shared email platform, under the
/// tenant's prefix only (another tenant's tags on the same address are theirs). At least once, each removal keyed by the
/// message and the tag.
/// </summary>
public sealed class RemovePlatformTags(IEmailPlatform platform, IReadRepository<Tenant> tenants, ITenantContext tenant)
    : IIntegrationEventConsumer<PersonErased>
{
    public async Task HandleAsync(PersonErased integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        if (await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant), cancellationToken) is not { } own)
            return;
        var named = new TenantEmailPlatform(platform, own.TagPrefix);
        foreach (var tag in integrationEvent.Tags)
            await named.UntagAsync(integrationEvent.Email, tag, $"{context.MessageId:N}:{tag}", cancellationToken);
    }
}
