using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using MediatR;

namespace CrmTenancy.Application.Campaigns.LaunchCampaign;

/// <summary>
/// Launches a Draft or Scheduled campaign: its audience, read at this moment through specifications of the caller's
/// tenant (and record visibility), becomes its targets in the same transaction as the move to Active (the campaign's
/// <c>targetCount</c> says how many).
/// </summary>
public sealed record LaunchCampaign(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class LaunchCampaignHandler(
    IRepository<Campaign> campaigns, IRepository<CampaignTarget> targets, IReadRepository<Customer> customers,
    IReadRepository<Contact> contacts, IReadRepository<Lead> leads, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<LaunchCampaign, Unit>
{
    public async Task<Unit> Handle(LaunchCampaign request, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        campaign.EnsureLaunchable();
        var audience = campaign.Audience;

        List<ReachablePerson> contactPeople = [];
        if (audience.Contacts)
        {
            List<Guid>? customerIds = null;
            if (audience.FiltersCustomers)
                customerIds = [.. (await customers.ProjectListAsync<CustomerKey>(new AudienceSpecifications.Customers(tenant, audience), cancellationToken)).Select(c => c.Id)];
            if (customerIds is not { Count: 0 })
                contactPeople = await contacts.ProjectListAsync<ReachablePerson>(new AudienceSpecifications.Contacts(tenant, audience, campaign.Channel, customerIds), cancellationToken);
        }
        var leadPeople = audience.Leads
            ? await leads.ProjectListAsync<ReachablePerson>(new AudienceSpecifications.Leads(tenant, audience, campaign.Channel), cancellationToken)
            : [];
        var made = await CampaignTargeting.AddNewAsync(campaign, contactPeople, leadPeople, targets, tenant, cancellationToken);
        campaign.Launch(clock.GetUtcNow(), made);
        return Unit.Value;
    }
}

internal static class CampaignTargeting
{
    public static AudiencePerson ToAudience(ReachablePerson person) =>
        new(person.Id, $"{person.FirstName} {person.LastName}", person.Phone, person.Email, person.NormalizedEmail);

    /// <summary>Stages the targets <see cref="AudienceSelection"/> makes of these people for the campaign; returns how many.</summary>
    public static async Task<int> AddNewAsync(Campaign campaign, IEnumerable<ReachablePerson> contacts, IEnumerable<ReachablePerson> leads,
        IRepository<CampaignTarget> targets, ITenantContext tenant, CancellationToken cancellationToken)
    {
        var already = await targets.ProjectListAsync<TargetPerson>(new CampaignPeopleSpecification(tenant, campaign.Id), cancellationToken);
        var made = AudienceSelection.NewTargets(campaign, contacts.Select(ToAudience), leads.Select(ToAudience),
            [.. already.Select(t => new ExistingTarget(t.ContactId, t.LeadId, t.Phone, t.Email))]);
        foreach (var target in made)
            targets.Add(target);
        return made.Count;
    }
}
