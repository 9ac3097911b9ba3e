using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Leads;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Campaigns;

public sealed class CampaignTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static Campaign NewCampaign(DateTimeOffset? startsAt = null) =>
        Campaign.Create(TestData.TenantA, new CampaignDetails(" Winter calls ", StartsAt: startsAt), CampaignChannel.Voice, TestData.UserId);

    private static Campaign CampaignAt(CampaignStatus status)
    {
        var campaign = NewCampaign(Now);
        switch (status)
        {
            case CampaignStatus.Scheduled: campaign.Schedule(); break;
            case CampaignStatus.Active: campaign.Launch(Now, 3); break;
            case CampaignStatus.Paused: campaign.Launch(Now, 3); campaign.Pause(); break;
            case CampaignStatus.Completed: campaign.Launch(Now, 3); campaign.Complete(Now); break;
            case CampaignStatus.Cancelled: campaign.Cancel(Now); break;
        }
        campaign.ClearDomainEvents();
        return campaign;
    }

    [Fact]
    public void Create_starts_a_draft_owned_by_its_creator_with_an_audience_of_contacts_and_leads()
    {
        var campaign = NewCampaign();

        Assert.Equal(CampaignStatus.Draft, campaign.Status);
        Assert.Equal("Winter calls", campaign.Name);
        Assert.Equal(TestData.UserId, campaign.OwnerId);
        Assert.True(campaign.Audience.Contacts && campaign.Audience.Leads);
        Assert.Equal(new CampaignCreated(TestData.TenantA, campaign.Id), Assert.Single(campaign.DomainEvents));
    }

    [Fact]
    public void The_audience_is_normalised()
    {
        var campaign = Campaign.Create(TestData.TenantA,
            new CampaignDetails("Tags", Audience: new CampaignAudience { Tags = [" VIP ", "vip", "Gold"], LeadStatuses = [LeadStatus.New, LeadStatus.New] }),
            CampaignChannel.Email, null);
        Assert.Equal(["vip", "gold"], campaign.Audience.Tags);
        Assert.Equal([LeadStatus.New], campaign.Audience.LeadStatuses);
    }

    [Fact]
    public void A_campaign_ends_after_it_starts()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Campaign.Create(TestData.TenantA, new CampaignDetails("Backwards", StartsAt: Now, EndsAt: Now), CampaignChannel.Voice, null));
        Assert.Equal("campaign-dates", error.Rule);
    }

    [Theory]
    [InlineData(CampaignStatus.Draft, true)]
    [InlineData(CampaignStatus.Scheduled, true)]
    [InlineData(CampaignStatus.Active, false)]
    [InlineData(CampaignStatus.Paused, false)]
    [InlineData(CampaignStatus.Completed, false)]
    [InlineData(CampaignStatus.Cancelled, false)]
    public void Only_a_draft_or_scheduled_campaign_is_edited(CampaignStatus status, bool editable)
    {
        var campaign = CampaignAt(status);
        var update = () => campaign.Update(new CampaignDetails("Renamed", StartsAt: Now, Audience: new CampaignAudience { People = CampaignPeople.Contacts }), CampaignChannel.Voice);

        if (editable)
        {
            update();
            var updated = Assert.IsType<CampaignUpdated>(Assert.Single(campaign.DomainEvents));
            Assert.Equal(["name", "audience"], updated.Fields);
        }
        else
        {
            Assert.Equal("campaign-not-editable", Assert.Throws<DomainRuleException>(update).Rule);
            Assert.Empty(campaign.DomainEvents);
        }
    }

    [Fact]
    public void An_update_that_changes_nothing_raises_nothing()
    {
        var campaign = CampaignAt(CampaignStatus.Draft);
        campaign.Update(new CampaignDetails("Winter calls", StartsAt: Now), CampaignChannel.Voice);
        Assert.Empty(campaign.DomainEvents);
    }

    [Fact]
    public void Scheduling_needs_a_start_date_and_a_scheduled_campaign_keeps_one()
    {
        var campaign = NewCampaign();
        Assert.Equal("campaign-start-required", Assert.Throws<DomainRuleException>(campaign.Schedule).Rule);

        var scheduled = CampaignAt(CampaignStatus.Scheduled);
        Assert.Equal("campaign-start-required",
            Assert.Throws<DomainRuleException>(() => scheduled.Update(new CampaignDetails("No start"), CampaignChannel.Voice)).Rule);
    }

    public static TheoryData<CampaignStatus, string, bool> Moves() => new()
    {
        { CampaignStatus.Draft, "schedule", true }, { CampaignStatus.Draft, "launch", true }, { CampaignStatus.Draft, "pause", false },
        { CampaignStatus.Draft, "resume", false }, { CampaignStatus.Draft, "complete", false }, { CampaignStatus.Draft, "cancel", true },
        { CampaignStatus.Scheduled, "schedule", false }, { CampaignStatus.Scheduled, "launch", true }, { CampaignStatus.Scheduled, "cancel", true },
        { CampaignStatus.Scheduled, "complete", false },
        { CampaignStatus.Active, "launch", false }, { CampaignStatus.Active, "pause", true }, { CampaignStatus.Active, "resume", false },
        { CampaignStatus.Active, "complete", true }, { CampaignStatus.Active, "cancel", true },
        { CampaignStatus.Paused, "resume", true }, { CampaignStatus.Paused, "pause", false }, { CampaignStatus.Paused, "complete", true },
        { CampaignStatus.Paused, "cancel", true }, { CampaignStatus.Paused, "launch", false },
        { CampaignStatus.Completed, "cancel", false }, { CampaignStatus.Completed, "resume", false }, { CampaignStatus.Completed, "launch", false },
        { CampaignStatus.Cancelled, "cancel", false }, { CampaignStatus.Cancelled, "resume", false }, { CampaignStatus.Cancelled, "schedule", false },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void The_status_machine_allows_exactly_its_moves(CampaignStatus from, string move, bool allowed)
    {
        var campaign = CampaignAt(from);
        Action act = move switch
        {
            "schedule" => campaign.Schedule,
            "launch" => () => campaign.Launch(Now, 0),
            "pause" => campaign.Pause,
            "resume" => campaign.Resume,
            "complete" => () => campaign.Complete(Now),
            _ => () => campaign.Cancel(Now),
        };

        if (allowed)
        {
            act();
            var changed = Assert.IsType<CampaignStatusChanged>(Assert.Single(campaign.DomainEvents));
            Assert.Equal(from, changed.From);
        }
        else
        {
            Assert.Equal("campaign-status-transition", Assert.Throws<DomainRuleException>(act).Rule);
            Assert.Equal(from, campaign.Status);
            Assert.Empty(campaign.DomainEvents);
        }
    }

    [Fact]
    public void Launch_counts_its_targets_and_targets_added_or_removed_later_move_the_count()
    {
        var campaign = CampaignAt(CampaignStatus.Scheduled);
        campaign.Launch(Now, 5);
        campaign.TargetsChanged(2, 0);
        campaign.TargetsChanged(0, 1);

        Assert.Equal(6, campaign.TargetCount);
        Assert.Equal(Now, campaign.LaunchedAt);
        Assert.Equal("Campaign Winter calls launched with 5 targets", campaign.DomainEvents.OfType<CampaignStatusChanged>().Single().Describe(campaign.Name).Summary);
    }

    [Theory]
    [InlineData(CampaignStatus.Completed)]
    [InlineData(CampaignStatus.Cancelled)]
    public void A_campaign_that_is_over_takes_no_target_changes(CampaignStatus status) =>
        Assert.Equal("campaign-closed", Assert.Throws<DomainRuleException>(() => CampaignAt(status).TargetsChanged(1, 0)).Rule);

    [Theory]
    [InlineData(CampaignStatus.Draft, true)]
    [InlineData(CampaignStatus.Scheduled, false)]
    [InlineData(CampaignStatus.Active, false)]
    [InlineData(CampaignStatus.Cancelled, false)]
    public void Only_a_draft_is_deleted(CampaignStatus status, bool deletable)
    {
        var campaign = CampaignAt(status);
        if (deletable)
            campaign.MarkDeleted();
        else
            Assert.Equal("campaign-not-draft", Assert.Throws<DomainRuleException>(campaign.MarkDeleted).Rule);
    }

    [Fact]
    public void A_target_only_moves_forward()
    {
        var target = CampaignTarget.ForContact(CampaignAt(CampaignStatus.Active), Guid.NewGuid(), "Ada Lovelace", "+44 20 7946 0000", null);
        target.Attempted(Now, reached: true, completed: true);
        target.Attempted(Now.AddHours(1), reached: false, completed: false);

        Assert.Equal(CampaignTargetState.Completed, target.State);
        Assert.Equal(2, target.Attempts);
        Assert.Equal(Now.AddHours(1), target.LastAttemptAt);
    }
}
