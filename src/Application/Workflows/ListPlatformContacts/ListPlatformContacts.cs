using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Workflows.ListPlatformContacts;

/// <summary>
/// The tenant's contacts on the email platform that carry <see cref="Tag"/>, with the tenant's own tags only: asked by
/// the tenant's prefix, everything without it dropped (<see cref="TenantEmailPlatform"/>).
/// </summary>
public sealed record ListPlatformContacts(string Tag) : IQuery<IReadOnlyList<PlatformContact>>;

public sealed class ListPlatformContactsValidator : AbstractValidator<ListPlatformContacts>
{
    public ListPlatformContactsValidator() => RuleFor(x => x.Tag).NotEmpty().MaximumLength(CustomerTags.MaxLength);
}

public sealed class ListPlatformContactsHandler(IEmailPlatform platform, IReadRepository<Tenant> tenants, ITenantContext tenant)
    : IRequestHandler<ListPlatformContacts, IReadOnlyList<PlatformContact>>
{
    public async Task<IReadOnlyList<PlatformContact>> Handle(ListPlatformContacts request, CancellationToken cancellationToken)
    {
        var own = await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant), cancellationToken)
            ?? throw new NotFoundException(nameof(Tenant), tenant.TenantId);
        return await new TenantEmailPlatform(platform, own.TagPrefix).ContactsTaggedAsync(CustomerTags.Normalise(request.Tag), cancellationToken);
    }
}
