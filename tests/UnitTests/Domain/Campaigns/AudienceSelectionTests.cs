using CrmTenancy.Domain.Campaigns;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Campaigns;

public sealed class AudienceSelectionTests
{
    private static Campaign Campaign(CampaignChannel channel) =>
        CrmTenancy.Domain.Campaigns.Campaign.Create(TestData.TenantA, new CampaignDetails("Reach"), channel, null);

    private static AudiencePerson Person(string name, string? phone, string? email) =>
        new(Guid.NewGuid(), name, phone, email, email?.Trim().ToUpperInvariant());

    [Fact]
    public void A_voice_campaign_takes_people_with_a_phone_and_an_email_campaign_people_with_an_email()
    {
        var withPhone = Person("Phone", "+1 (555) 010-2000", null);
        var withEmail = Person("Mail", null, "mail@example.test");
        var withShortNumber = Person("Short", "12", null);

        var voice = AudienceSelection.NewTargets(Campaign(CampaignChannel.Voice), [withPhone, withEmail, withShortNumber], [], []);
        var email = AudienceSelection.NewTargets(Campaign(CampaignChannel.Email), [withPhone, withEmail, withShortNumber], [], []);

        Assert.Equal([withPhone.Id], voice.Select(t => t.ContactId!.Value));
        Assert.Equal([withEmail.Id], email.Select(t => t.ContactId!.Value));
    }

    [Fact]
    public void A_person_who_is_both_a_contact_and_a_lead_is_one_target_as_the_contact()
    {
        var contact = Person("Ada as contact", "+44 20 7946 0000", "ada@example.test");
        var sameEmail = Person("Ada as lead", null, " ADA@example.test");
        var samePhone = Person("Ada by phone", "44 20 7946-0000", null);
        var other = Person("Grace", "+1 555 0100", "grace@example.test");

        var targets = AudienceSelection.NewTargets(Campaign(CampaignChannel.Voice), [contact], [samePhone, other], []);
        Assert.Equal([contact.Id], targets.Where(t => t.ContactId is not null).Select(t => t.ContactId!.Value));
        Assert.Equal([other.Id], targets.Where(t => t.LeadId is not null).Select(t => t.LeadId!.Value));

        var byEmail = AudienceSelection.NewTargets(Campaign(CampaignChannel.Email), [contact], [sameEmail], []);
        Assert.Single(byEmail);
    }

    [Fact]
    public void People_the_campaign_already_targets_are_not_added_again()
    {
        var contact = Person("Ada", "+44 20 7946 0000", null);
        var lead = Person("Grace", "+1 555 0100", null);

        var targets = AudienceSelection.NewTargets(Campaign(CampaignChannel.Voice), [contact], [lead], [new ExistingTarget(contact.Id, null, contact.Phone, null), new ExistingTarget(null, lead.Id, lead.Phone, null)]);

        Assert.Empty(targets);
    }

    [Fact]
    public void A_lead_with_the_phone_or_email_of_a_target_the_campaign_already_has_is_not_added()
    {
        var lead = Person("Ada as lead", "+44 20 7946 0000", "ada@example.test");
        var byEmail = AudienceSelection.NewTargets(Campaign(CampaignChannel.Email), [], [lead], [new ExistingTarget(Guid.NewGuid(), null, null, " ADA@example.test")]);
        var byPhone = AudienceSelection.NewTargets(Campaign(CampaignChannel.Voice), [], [lead], [new ExistingTarget(Guid.NewGuid(), null, "44 20 7946-0000", null)]);

        Assert.Empty(byEmail);
        Assert.Empty(byPhone);

        // A contact that is a lead target's person is left out too; contacts sharing a number with a contact target are not.
        var contact = Person("Ada as contact", "+44 20 7946 0000", null);
        Assert.Empty(AudienceSelection.NewTargets(Campaign(CampaignChannel.Voice), [contact], [], [new ExistingTarget(null, Guid.NewGuid(), "44 20 7946 0000", null)]));
        Assert.Single(AudienceSelection.NewTargets(Campaign(CampaignChannel.Voice), [contact], [], [new ExistingTarget(Guid.NewGuid(), null, "44 20 7946 0000", null)]));
    }

    [Fact]
    public void A_target_keeps_the_trimmed_phone_and_email_and_its_campaigns_tenant()
    {
        var campaign = Campaign(CampaignChannel.Email);
        var target = Assert.Single(AudienceSelection.NewTargets(campaign, [], [Person("Ada", "  ", " ada@example.test ")], []));

        Assert.Equal((TestData.TenantA, campaign.Id, "ada@example.test", (string?)null), (target.TenantId, target.CampaignId, target.Email, target.Phone));
        Assert.Equal(CampaignTargetState.Pending, target.State);
    }
}
