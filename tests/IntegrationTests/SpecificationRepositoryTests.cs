using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;

namespace CrmTenancy.IntegrationTests;

public sealed class SpecificationRepositoryTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    /// <summary>A specification that forgets the tenant: the repository must refuse it.</summary>
    private sealed class UnscopedCustomers : Specification<Customer>;

    private sealed class CustomersNamed : TenantSpecification<Customer>
    {
        public CustomersNamed(ITenantContext tenant, string name) : base(tenant) => Query.Where(c => c.Name == name);
    }

    [Fact]
    public async Task The_repository_refuses_a_specification_that_is_not_tenant_scoped()
    {
        await SeedAsync(TenantA, "A1");
        await using var scope = Fixture.For(TenantA);
        var repository = scope.Get<IReadRepository<Customer>>();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => repository.ListAsync(new UnscopedCustomers(), CancellationToken.None));
        Assert.Contains("without a tenant scope", refused.Message);
    }

    [Fact]
    public async Task The_repository_refuses_a_specification_scoped_to_another_tenant()
    {
        await using var other = Fixture.For(TenantB);
        var foreignSpecification = new CustomerListSpecification(other.Tenant, new CustomerFilter(), 1, 10);
        await using var scope = Fixture.For(TenantA);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            scope.Get<IReadRepository<Customer>>().ListAsync(foreignSpecification, CancellationToken.None));
    }

    [Fact]
    public async Task A_tenant_specification_returns_only_the_current_tenants_rows()
    {
        await SeedAsync(TenantA, "Same name");
        await SeedAsync(TenantB, "Same name");
        await using var scope = Fixture.For(TenantA);
        var found = await scope.Get<IReadRepository<Customer>>().ListAsync(new CustomersNamed(scope.Tenant, "Same name"), CancellationToken.None);
        Assert.Equal(TenantA, Assert.Single(found).TenantId);
    }

    [Fact]
    public async Task The_evaluator_orders_pages_and_counts_without_paging()
    {
        foreach (var name in new[] { "delta", "alpha", "charlie", "bravo", "echo" })
            await SeedAsync(TenantA, name);
        await SeedAsync(TenantB, "aaa-foreign");
        await using var scope = Fixture.For(TenantA);
        var repository = scope.Get<IReadRepository<Customer>>();

        var page = await repository.ProjectPageAsync<Customer, CustomerDto>(
            new CustomerListSpecification(scope.Tenant, new CustomerFilter(), page: 2, pageSize: 2), CancellationToken.None);

        Assert.Equal(["charlie", "delta"], page.Items.Select(c => c.Name));
        Assert.Equal(5, page.TotalCount);
        Assert.Equal(3, page.TotalPages);
        Assert.Equal(2, page.Page);
        Assert.True(page.HasMore);
    }

    [Fact]
    public async Task A_search_reads_one_row_past_its_page_and_has_a_total_only_where_the_matches_end()
    {
        foreach (var name in new[] { "match one", "match two", "match three", "other" })
            await SeedAsync(TenantA, name);
        await SeedAsync(TenantB, "match foreign");
        await using var scope = Fixture.For(TenantA);
        var repository = scope.Get<IReadRepository<Customer>>();
        var search = new CustomerFilter(Search: "match");

        var first = await repository.ProjectPageAsync<Customer, CustomerDto>(
            new CustomerListSpecification(scope.Tenant, search, page: 1, pageSize: 2), CancellationToken.None);
        var last = await repository.ProjectPageAsync<Customer, CustomerDto>(
            new CustomerListSpecification(scope.Tenant, search, page: 2, pageSize: 2), CancellationToken.None);

        Assert.Equal(["match one", "match three"], first.Items.Select(c => c.Name));
        Assert.Equal((true, null), (first.HasMore, first.TotalCount));
        Assert.Equal(["match two"], last.Items.Select(c => c.Name));
        Assert.Equal((false, 3), (last.HasMore, last.TotalCount));
    }

    [Fact]
    public async Task Search_is_case_insensitive_covers_contacts_and_treats_wildcards_literally()
    {
        var acme = await SeedAsync(TenantA, "ACME 100% Organic");
        await SeedAsync(TenantA, "Plain Foods");
        await using (var write = Fixture.For(TenantA))
        {
            var contact = Contact.Create(TenantA, new ContactDetails("Ingrid", "Underscore_Name"), ownerId: null);
            contact.LinkTo(await write.Db.Customers.FindAsync(acme) ?? throw new InvalidOperationException());
            write.Db.Contacts.Add(contact);
            await write.Db.SaveChangesAsync();
        }
        await using var scope = Fixture.For(TenantA);
        var repository = scope.Get<IReadRepository<Customer>>();

        async Task<string[]> Search(string term) =>
            (await repository.ProjectListAsync<CustomerDto>(
                new CustomerListSpecification(scope.Tenant, new CustomerFilter(Search: term), 1, 10), CancellationToken.None))
            .Select(c => c.Name).ToArray();

        Assert.Equal(["ACME 100% Organic"], await Search("acme"));
        Assert.Equal(["ACME 100% Organic"], await Search("100%"));
        Assert.Empty(await Search("1_0"));
        Assert.Equal(["ACME 100% Organic"], await Search("ingrid"));
        Assert.Equal(["ACME 100% Organic"], await Search("score_n"));
        Assert.Equal(2, (await Search(" ")).Length);
    }

    [Fact]
    public async Task The_search_text_follows_every_change_of_the_customer_and_its_contacts_in_the_same_save()
    {
        var first = await SeedAsync(TenantA, "First Ltd");
        var second = await SeedAsync(TenantA, "Second Ltd");
        Guid contactId;
        await using (var write = Fixture.For(TenantA))
        {
            var contact = Contact.Create(TenantA, new ContactDetails("Ottoline", "Quayle", "oq@mail.test"), ownerId: null);
            contact.LinkTo((await write.Db.Customers.FindAsync(first))!);
            write.Db.Contacts.Add(contact);
            await write.Db.SaveChangesAsync();
            contactId = contact.Id;
        }
        Assert.Equal(["First Ltd"], await SearchAsync("quayle"));
        Assert.Equal(["First Ltd"], await SearchAsync("oq@mail"));

        await ChangeContactAsync(contactId, c => c.Update(new ContactDetails("Ottoline", "Renamed")));
        Assert.Empty(await SearchAsync("quayle"));
        Assert.Equal(["First Ltd"], await SearchAsync("renamed"));

        await ChangeContactAsync(contactId, async (c, db) => c.LinkTo((await db.Customers.FindAsync(second))!));
        Assert.Equal(["Second Ltd"], await SearchAsync("renamed"));

        await ChangeContactAsync(contactId, c => c.Unlink());
        Assert.Empty(await SearchAsync("renamed"));

        await ChangeContactAsync(contactId, async (c, db) => c.LinkTo((await db.Customers.FindAsync(first))!));
        await using (var write = Fixture.For(TenantA))
        {
            var customer = (await write.Db.Customers.FindAsync(first))!;
            customer.Update(new CustomerDetails("Renumbered Ltd", Email: "desk@renumbered.test"), customer.Source);
            await write.Db.SaveChangesAsync();
        }
        Assert.Equal(["Renumbered Ltd"], await SearchAsync("renamed"));
        Assert.Equal(["Renumbered Ltd"], await SearchAsync("desk@"));
        Assert.Empty(await SearchAsync("first"));

        await using (var write = Fixture.For(TenantA))
        {
            write.Db.Contacts.Remove((await write.Db.Contacts.FindAsync(contactId))!);
            await write.Db.SaveChangesAsync();
        }
        Assert.Empty(await SearchAsync("renamed"));
        Assert.Equal(["Renumbered Ltd"], await SearchAsync("renumbered"));
    }

    [Fact]
    public async Task A_member_who_sees_only_their_records_finds_no_customer_by_a_contact_they_cannot_see()
    {
        var member = Guid.CreateVersion7();
        Guid mine;
        await using (var write = Fixture.For(TenantA))
        {
            var customer = Customer.Create(TenantA, new CustomerDetails("Visible Ltd"), CustomerSource.Web, member);
            write.Db.Customers.Add(customer);
            var hidden = Contact.Create(TenantA, new ContactDetails("Hidden", "Person"), ownerId: Guid.CreateVersion7());
            hidden.LinkTo(customer);
            write.Db.Contacts.Add(hidden);
            await write.Db.SaveChangesAsync();
            mine = customer.Id;
        }
        Assert.Equal(["Visible Ltd"], await SearchAsync("hidden"));

        await using var scope = Fixture.For(TenantA);
        scope.Get<Infrastructure.Tenancy.TenantContext>().RestrictToOwner(member);
        var found = await scope.Get<IReadRepository<Customer>>().ProjectListAsync<CustomerDto>(
            new CustomerListSpecification(scope.Tenant, new CustomerFilter(Search: "hidden"), 1, 10), CancellationToken.None);
        Assert.Empty(found);
        var byName = await scope.Get<IReadRepository<Customer>>().ProjectListAsync<CustomerDto>(
            new CustomerListSpecification(scope.Tenant, new CustomerFilter(Search: "visible"), 1, 10), CancellationToken.None);
        Assert.Equal(mine, Assert.Single(byName).Id);
    }

    private async Task<string[]> SearchAsync(string term)
    {
        await using var scope = Fixture.For(TenantA);
        return (await scope.Get<IReadRepository<Customer>>().ProjectListAsync<CustomerDto>(
                new CustomerListSpecification(scope.Tenant, new CustomerFilter(Search: term), 1, 10), CancellationToken.None))
            .Select(c => c.Name).ToArray();
    }

    private Task ChangeContactAsync(Guid id, Action<Contact> change) =>
        ChangeContactAsync(id, (c, _) => { change(c); return Task.CompletedTask; });

    private async Task ChangeContactAsync(Guid id, Func<Contact, Infrastructure.Persistence.CrmDbContext, Task> change)
    {
        await using var write = Fixture.For(TenantA);
        var contact = (await write.Db.Contacts.FindAsync(id))!;
        await change(contact, write.Db);
        await write.Db.SaveChangesAsync();
    }

    [Fact]
    public async Task Projection_counts_only_the_customers_own_contacts()
    {
        var id = await SeedAsync(TenantA, "Counted");
        await using (var write = Fixture.For(TenantA))
        {
            var customer = await write.Db.Customers.FindAsync(id);
            foreach (var name in new[] { "One", "Two" })
            {
                var contact = Contact.Create(TenantA, new ContactDetails(name, "Person"), ownerId: null);
                contact.LinkTo(customer!);
                write.Db.Contacts.Add(contact);
            }
            await write.Db.SaveChangesAsync();
        }
        await using var scope = Fixture.For(TenantA);
        var dto = await scope.Get<IReadRepository<Customer>>()
            .ProjectFirstOrDefaultAsync<CustomerDto>(new ReadByIdSpecification<Customer>(scope.Tenant, id), CancellationToken.None);
        Assert.Equal(2, dto!.ContactCount);
    }

    private async Task<Guid> SeedAsync(Guid tenant, string name)
    {
        await using var scope = Fixture.For(tenant);
        var customer = Customer.Create(tenant, new CustomerDetails(name), CustomerSource.Direct, ownerId: null);
        scope.Db.Customers.Add(customer);
        await scope.Db.SaveChangesAsync();
        return customer.Id;
    }
}
