using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Activities;

/// <summary>The events the timeline is written from: one per real change, naming what changed, none for no change.</summary>
public sealed class ActivityEventTests
{
    private static Customer NewCustomer()
    {
        var customer = Customer.Create(TestData.TenantA, new CustomerDetails("Acme", Email: "hello@acme.test"), CustomerSource.Web, TestData.UserId);
        customer.ClearDomainEvents();
        return customer;
    }

    [Fact]
    public void An_update_names_the_fields_that_changed_in_camel_case_and_an_update_that_changes_nothing_raises_nothing()
    {
        var customer = NewCustomer();

        customer.Update(new CustomerDetails(" Acme ", Email: "hello@acme.test", CompanySize: CompanySize.Medium), CustomerSource.Referral);
        var updated = Assert.IsType<CustomerUpdated>(Assert.Single(customer.DomainEvents));
        Assert.Equal(["companySize", "source"], updated.Fields);
        Assert.Equal("Customer Acme updated: companySize, source", updated.Describe("Acme")!.Summary);

        customer.ClearDomainEvents();
        customer.Update(new CustomerDetails("Acme", Email: "hello@acme.test", CompanySize: CompanySize.Medium), CustomerSource.Referral);
        Assert.Empty(customer.DomainEvents);
    }

    [Fact]
    public void Tagging_raises_the_tags_it_added_and_removing_a_tag_that_is_not_there_raises_nothing()
    {
        var customer = NewCustomer();
        customer.AddTags(["VIP", "key account"]);
        customer.AddTags(["vip"]);
        customer.RemoveTag("absent");
        customer.RemoveTag(" VIP ");

        Assert.Equal<object>([new CustomerTagged(TestData.TenantA, customer.Id, ["vip", "key-account"]), new CustomerUntagged(TestData.TenantA, customer.Id, "vip")],
            customer.DomainEvents.Select(e => e is CustomerTagged t ? new CustomerTagged(t.TenantId, t.CustomerId, [.. t.Tags]) : (object)e).ToList(),
            new TaggedComparer());
    }

    [Fact]
    public void A_contact_raises_its_link_primary_flag_and_assignment_once_each_and_nothing_when_unchanged()
    {
        var customer = NewCustomer();
        var contact = Contact.Create(TestData.TenantA, new ContactDetails("Ann", "Smith"), TestData.UserId);
        contact.ClearDomainEvents();

        contact.LinkTo(customer);
        contact.LinkTo(customer);
        contact.MakePrimary();
        contact.MakePrimary();
        contact.AssignTo(TestData.UserId);
        contact.AssignTo(null);
        contact.Unlink();
        contact.Unlink();

        Assert.Equal(
            [ActivityActions.Linked, ActivityActions.Updated, ActivityActions.Assigned, ActivityActions.Linked, ActivityActions.Updated],
            contact.DomainEvents.OfType<IActivityEvent>().Select(e => e.Describe("Ann Smith")!.Action));
    }

    [Fact]
    public void Relinking_a_primary_contact_says_it_is_no_longer_primary()
    {
        var first = NewCustomer();
        var second = NewCustomer();
        var contact = Contact.Create(TestData.TenantA, new ContactDetails("Ann", "Smith"), TestData.UserId);
        contact.LinkTo(first);
        contact.MakePrimary();
        contact.ClearDomainEvents();

        contact.LinkTo(second);

        Assert.False(contact.IsPrimary);
        Assert.Equal(2, contact.DomainEvents.Count);
        Assert.Equal(new ContactLinked(TestData.TenantA, contact.Id, second.Id), contact.DomainEvents.First());
        Assert.Equal(["isPrimary"], Assert.IsType<ContactUpdated>(contact.DomainEvents.Last()).Fields);
    }

    [Fact]
    public void A_conversion_is_one_entry_the_status_move_to_converted_describes_none()
    {
        var lead = Lead.Create(TestData.TenantA, new LeadDetails("Ada", "Lovelace"), LeadSource.Manual, null, DateTimeOffset.UnixEpoch);
        lead.ClearDomainEvents();
        lead.ConvertTo(lead.NewCustomer());

        Assert.Equal([ActivityActions.Converted],
            lead.DomainEvents.OfType<IActivityEvent>().Select(e => e.Describe("Ada Lovelace")).OfType<ActivityDescription>().Select(d => d.Action));
    }

    [Fact]
    public void An_entry_cuts_a_long_summary_and_value_and_takes_the_records_owner_and_assignee()
    {
        var customer = NewCustomer();
        var entry = Activity.Record(TestData.TenantA, "user:x", "customer", customer.Id,
            new ActivityDescription("updated", new string('s', 400), ["name"], To: new string('v', 150)), customer, DateTimeOffset.UnixEpoch);

        Assert.Equal(Activity.SummaryMaxLength, entry.Summary.Length);
        Assert.EndsWith("…", entry.Summary);
        Assert.Equal(Activity.ValueMaxLength, entry.ToValue!.Length);
        Assert.Equal((TestData.UserId, TestData.UserId), (entry.OwnerId!.Value, entry.AssigneeId!.Value));
        Assert.Equal("customer", Activity.RecordTypeOf(typeof(Customer)));
    }

    [Fact]
    public void Sharing_raises_one_entry_per_change_and_the_entry_takes_the_records_sharing()
    {
        var customer = NewCustomer();
        customer.ShareWithTenant(true);
        customer.ShareWithTenant(true);
        customer.ShareWithTenant(false);

        Assert.Equal([new SharingChanged(TestData.TenantA, customer.Id, true), new SharingChanged(TestData.TenantA, customer.Id, false)], customer.DomainEvents);
        Assert.Equal(ActivityActions.Unshared, ((SharingChanged)customer.DomainEvents.Last()).Describe("Acme").Action);
        customer.ShareWithTenant(true);
        Assert.True(Activity.Record(TestData.TenantA, "job", "customer", customer.Id, new ActivityDescription("shared", "s"), customer, DateTimeOffset.UnixEpoch).Shared);
    }

    private sealed class TaggedComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) => (x, y) switch
        {
            (CustomerTagged a, CustomerTagged b) => a.TenantId == b.TenantId && a.CustomerId == b.CustomerId && a.Tags.SequenceEqual(b.Tags),
            _ => object.Equals(x, y),
        };

        public int GetHashCode(object obj) => 0;
    }
}
