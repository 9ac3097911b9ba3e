using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Infrastructure.Persistence;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// A conflict the database finds at the save answers exactly as the handler's own check does: the configurations
/// map their constraint names to the module's conflicts.
/// </summary>
public sealed class ConflictCatalogueTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    [Fact]
    public async Task A_duplicate_contact_email_caught_by_the_unique_index_answers_the_handlers_code()
    {
        await using var scope = Fixture.For(TenantA);
        var contacts = scope.Get<IRepository<Contact>>();
        contacts.Add(Contact.Create(TenantA, new ContactDetails("Ann", "One", "same@a.test"), null));
        contacts.Add(Contact.Create(TenantA, new ContactDetails("Ann", "Two", "SAME@a.test"), null));

        var conflict = await Assert.ThrowsAsync<ConflictException>(() => scope.Get<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));

        Assert.Equal(ContactConflicts.EmailTaken.Code, conflict.Code);
        Assert.Equal(ContactConflicts.EmailTaken.Message, conflict.Message);
    }

    [Fact]
    public void Every_declared_constraint_names_a_conflict_with_a_code()
    {
        var all = ConflictCatalogue.All;

        Assert.Equal(ContactConflicts.EmailTaken, ConflictCatalogue.For("ix_contacts_tenant_id_normalized_email"));
        Assert.Equal("slug-taken", ConflictCatalogue.For("ix_tenants_slug").Code);
        Assert.Equal("user-exists", ConflictCatalogue.For("ix_users_tenant_id_normalized_email").Code);
        Assert.Equal(ConflictCatalogue.Duplicate, ConflictCatalogue.For("ix_not_declared"));
        Assert.All(all.Values, c => Assert.False(string.IsNullOrWhiteSpace(c.Code)));
    }
}
