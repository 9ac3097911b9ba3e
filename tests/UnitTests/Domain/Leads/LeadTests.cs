using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Leads;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Leads;

public sealed class LeadTests
{
    private static readonly DateTimeOffset Captured = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static Lead NewLead(Guid? ownerId = null) =>
        Lead.Create(TestData.TenantA, new LeadDetails(" Ada ", "Lovelace", Email: "ada@engine.test", CompanyName: "Analytical"),
            LeadSource.WebForm, ownerId, Captured);

    private static Lead LeadAt(LeadStatus status)
    {
        var lead = NewLead();
        if (status is LeadStatus.Lost)
            lead.MoveTo(LeadStatus.Lost, "No budget");
        else if (status is not LeadStatus.New)
            lead.MoveTo(status);
        lead.ClearDomainEvents();
        return lead;
    }

    [Fact]
    public void Create_starts_new_owned_and_assigned_by_its_creator_with_its_search_text()
    {
        var lead = NewLead(TestData.UserId);

        Assert.Equal(LeadStatus.New, lead.Status);
        Assert.Equal("Ada", lead.FirstName);
        Assert.Equal(TestData.UserId, lead.OwnerId);
        Assert.Equal(TestData.UserId, lead.AssigneeId);
        Assert.Equal(Captured, lead.CapturedAt);
        Assert.Equal("ada lovelace ada@engine.test analytical", lead.SearchText);
        Assert.Equal(new LeadCreated(TestData.TenantA, lead.Id), Assert.Single(lead.DomainEvents));
    }

    [Fact]
    public void Create_without_a_last_name_is_refused()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Lead.Create(TestData.TenantA, new LeadDetails("Ada", " "), LeadSource.Manual, null, Captured));

        Assert.Equal("lastName-required", error.Rule);
    }

    [Theory]
    [InlineData(LeadStatus.New, LeadStatus.Nurturing)]
    [InlineData(LeadStatus.New, LeadStatus.Qualified)]
    [InlineData(LeadStatus.Nurturing, LeadStatus.Engaged)]
    [InlineData(LeadStatus.Qualified, LeadStatus.Nurturing)]
    [InlineData(LeadStatus.Engaged, LeadStatus.Qualified)]
    public void An_open_lead_moves_to_another_open_stage_but_new(LeadStatus from, LeadStatus to)
    {
        var lead = LeadAt(from);

        lead.MoveTo(to);

        Assert.Equal(to, lead.Status);
        Assert.Equal(new LeadStatusChanged(TestData.TenantA, lead.Id, from, to, null), Assert.Single(lead.DomainEvents));
    }

    [Theory]
    [InlineData(LeadStatus.Engaged, LeadStatus.New, "lead-status-transition")]
    [InlineData(LeadStatus.Lost, LeadStatus.Qualified, "lead-status-transition")]
    [InlineData(LeadStatus.Lost, LeadStatus.New, "lead-status-transition")]
    [InlineData(LeadStatus.New, LeadStatus.Converted, "lead-convert-required")]
    [InlineData(LeadStatus.Qualified, LeadStatus.Qualified, "lead-status-unchanged")]
    public void Illegal_moves_are_refused_and_change_nothing(LeadStatus from, LeadStatus to, string rule)
    {
        var lead = LeadAt(from);

        var error = Assert.Throws<DomainRuleException>(() => lead.MoveTo(to));

        Assert.Equal(rule, error.Rule);
        Assert.Equal(from, lead.Status);
        Assert.Empty(lead.DomainEvents);
    }

    [Fact]
    public void Lost_needs_a_reason_and_only_lost_takes_one()
    {
        var lead = LeadAt(LeadStatus.Engaged);

        Assert.Equal("lead-lost-reason-required", Assert.Throws<DomainRuleException>(() => lead.MoveTo(LeadStatus.Lost, "  ")).Rule);
        Assert.Equal("lead-lost-reason-unexpected", Assert.Throws<DomainRuleException>(() => lead.MoveTo(LeadStatus.Qualified, "why")).Rule);
        Assert.Equal(LeadStatus.Engaged, lead.Status);

        lead.MoveTo(LeadStatus.Lost, " Went with a competitor ");

        Assert.Equal(LeadStatus.Lost, lead.Status);
        Assert.Equal("Went with a competitor", lead.LostReason);
    }

    [Fact]
    public void Reopening_a_lost_lead_returns_it_to_nurturing_and_forgets_the_reason()
    {
        var lead = LeadAt(LeadStatus.Lost);

        lead.MoveTo(LeadStatus.Nurturing);

        Assert.Equal(LeadStatus.Nurturing, lead.Status);
        Assert.Null(lead.LostReason);
    }

    [Fact]
    public void Tags_are_normalised_as_customer_tags_and_merged()
    {
        var lead = NewLead();

        lead.AddTags(["Trade  Show", "trade-show", "VIP"]);
        lead.RemoveTag("vip");

        Assert.Equal(["trade-show"], lead.Tags);
    }

    [Fact]
    public void A_contact_moves_last_contacted_forward_only_and_a_lost_lead_takes_none()
    {
        var lead = NewLead();
        lead.RecordContact(Captured.AddDays(2));
        lead.RecordContact(Captured.AddDays(1));
        Assert.Equal(Captured.AddDays(2), lead.LastContactedAt);

        var lost = LeadAt(LeadStatus.Lost);
        Assert.Equal("lead-closed", Assert.Throws<DomainRuleException>(() => lost.RecordContact(Captured)).Rule);
    }

    [Fact]
    public void Converting_an_open_lead_marks_it_converted_into_the_customer_made_from_it()
    {
        var lead = Lead.Create(TestData.TenantA, new LeadDetails("Ada", "Lovelace", "ada@engine.test", "+44 1", "Analytical"),
            LeadSource.WebForm, TestData.UserId, Captured);
        lead.AddTags(["vip"]);
        lead.MoveTo(LeadStatus.Qualified);
        lead.ClearDomainEvents();

        var customer = lead.NewCustomer();
        lead.ConvertTo(customer);

        Assert.Equal("Analytical", customer.Name);
        Assert.Equal("ada@engine.test", customer.Email);
        Assert.Equal(CrmTenancy.Domain.Customers.CustomerSource.Web, customer.Source);
        Assert.Equal(["vip"], customer.Tags);
        Assert.Equal(TestData.UserId, customer.OwnerId);
        Assert.Equal(LeadStatus.Converted, lead.Status);
        Assert.Equal(customer.Id, lead.ConvertedCustomerId);
        Assert.Contains(new LeadConverted(TestData.TenantA, lead.Id, customer.Id), lead.DomainEvents);
    }

    [Fact]
    public void A_lead_without_a_company_becomes_a_customer_named_after_the_person()
    {
        Assert.Equal("Ada Lovelace", Lead.Create(TestData.TenantA, new LeadDetails("Ada", "Lovelace"), LeadSource.Manual, null, Captured).NewCustomer().Name);
    }

    [Fact]
    public void A_lost_or_converted_lead_or_another_tenants_customer_is_refused()
    {
        var lost = LeadAt(LeadStatus.Lost);
        Assert.Equal("lead-closed", Assert.Throws<DomainRuleException>(() => lost.ConvertTo(lost.NewCustomer())).Rule);

        var lead = NewLead();
        var foreign = Lead.Create(TestData.TenantB, new LeadDetails("Other", "Tenant"), LeadSource.Manual, null, Captured).NewCustomer();
        Assert.Equal("lead-customer-tenant", Assert.Throws<DomainRuleException>(() => lead.ConvertTo(foreign)).Rule);

        lead.ConvertTo(lead.NewCustomer());
        Assert.Equal("lead-already-converted", Assert.Throws<DomainRuleException>(() => lead.ConvertTo(lead.NewCustomer())).Rule);
        Assert.Equal("lead-status-transition", Assert.Throws<DomainRuleException>(() => lead.MoveTo(LeadStatus.Nurturing)).Rule);
    }

    [Fact]
    public void A_capture_is_unowned_unassigned_and_captured_now()
    {
        var lead = Lead.Capture(TestData.TenantA, new LeadDetails("Grace", "Hopper", Email: " Grace@Navy.Test "), LeadSource.WebForm, Captured);

        Assert.Null(lead.OwnerId);
        Assert.Null(lead.AssigneeId);
        Assert.Equal(Captured, lead.LastCapturedAt);
        Assert.Equal("GRACE@NAVY.TEST", lead.NormalizedEmail);
    }

    [Fact]
    public void A_recapture_fills_what_is_empty_tags_the_source_moves_the_capture_time_and_overwrites_nothing()
    {
        var lead = NewLead();
        lead.ClearDomainEvents();
        var later = Captured.AddDays(2);

        lead.Recapture(new LeadDetails("Other", "Name", Email: "other@x.test", Phone: "+1 555", CompanyName: "Other Co", Interest: "Engines", VolumeTier: VolumeTier.High),
            LeadSource.Referral, ["Fair 2026"], later);

        Assert.Equal(("Ada", "Lovelace", "ada@engine.test", "Analytical"), (lead.FirstName, lead.LastName, lead.Email, lead.CompanyName));
        Assert.Equal(LeadSource.WebForm, lead.Source);
        Assert.Equal(("+1 555", "Engines", (VolumeTier?)VolumeTier.High), (lead.Phone, lead.Interest, lead.VolumeTier));
        Assert.Equal(["referral", "fair-2026"], lead.Tags);
        Assert.Equal(later, lead.LastCapturedAt);
        Assert.Equal(Captured, lead.CapturedAt);
        Assert.Equal(new LeadRecaptured(TestData.TenantA, lead.Id, LeadSource.Referral), Assert.Single(lead.DomainEvents));

        lead.Recapture(new LeadDetails("Ada", "Lovelace"), LeadSource.WebForm, [], Captured.AddDays(1));
        Assert.Equal(later, lead.LastCapturedAt);
        Assert.Equal(["referral", "fair-2026", "web-form"], lead.Tags);
    }

    [Theory]
    [InlineData(LeadStatus.Lost)]
    [InlineData(LeadStatus.Converted)]
    public void A_closed_lead_is_not_captured_again(LeadStatus status)
    {
        var lead = status == LeadStatus.Converted ? NewLead() : LeadAt(status);
        if (status == LeadStatus.Converted)
            lead.ConvertTo(lead.NewCustomer());

        Assert.Equal("lead-closed", Assert.Throws<DomainRuleException>(() => lead.Recapture(new LeadDetails("A", "B"), LeadSource.WebForm, [], Captured)).Rule);
    }

    [Fact]
    public void The_furthest_stage_only_moves_forward_a_loss_or_a_step_back_keeps_it_and_a_conversion_ends_it()
    {
        var lead = NewLead();
        Assert.Equal(LeadStatus.New, lead.FurthestStage);
        lead.MoveTo(LeadStatus.Engaged);
        lead.MoveTo(LeadStatus.Nurturing);
        Assert.Equal(LeadStatus.Engaged, lead.FurthestStage);
        lead.MoveTo(LeadStatus.Lost, "No budget");
        Assert.Equal(LeadStatus.Engaged, lead.FurthestStage);
        lead.MoveTo(LeadStatus.Nurturing);
        lead.ConvertTo(lead.NewCustomer());
        Assert.Equal(LeadStatus.Converted, lead.FurthestStage);
    }

    [Fact]
    public void A_recapture_of_a_lead_at_its_tag_limit_is_kept_and_empty_notes_are_filled()
    {
        var lead = NewLead();
        lead.AddTags(Enumerable.Range(1, CrmTenancy.Domain.Customers.CustomerTags.MaxPerCustomer).Select(i => $"tag{i}"));

        lead.Recapture(new LeadDetails("Ada", "Lovelace", Notes: "Asked for a demo"), LeadSource.Referral, ["one more"], Captured.AddDays(1));

        Assert.Equal(CrmTenancy.Domain.Customers.CustomerTags.MaxPerCustomer, lead.Tags.Length);
        Assert.DoesNotContain("referral", lead.Tags);
        Assert.Equal("Asked for a demo", lead.Notes);
        Assert.Equal(Captured.AddDays(1), lead.LastCapturedAt);
    }

    [Fact]
    public void A_lead_of_a_company_converts_into_a_customer_of_that_company_only_and_a_recapture_never_moves_it()
    {
        var north = Guid.NewGuid();
        var lead = Lead.Create(TestData.TenantA, new LeadDetails("Ada", "Lovelace", CompanyId: north), LeadSource.Manual, null, Captured);
        var elsewhere = Lead.Create(TestData.TenantA, new LeadDetails("Other", "Company", CompanyId: Guid.NewGuid()), LeadSource.Manual, null, Captured).NewCustomer();

        Assert.Equal("lead-customer-company", Assert.Throws<DomainRuleException>(() => lead.ConvertTo(elsewhere)).Rule);
        lead.Recapture(new LeadDetails("Ada", "Lovelace", CompanyId: Guid.NewGuid()), LeadSource.WebForm, [], Captured);
        Assert.Equal(north, lead.CompanyId);
        Assert.Equal(north, lead.NewCustomer().CompanyId);
    }
}
