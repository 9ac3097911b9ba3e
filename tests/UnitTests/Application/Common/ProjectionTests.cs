using CrmTenancy.Application.Contacts;
using CrmTenancy.Application.Customers;
using CrmTenancy.Application.Users;
using CrmTenancy.Domain.Users;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Application.Common;

/// <summary>
/// The Mapperly projections, run over an in-memory queryable: the same expression trees EF Core translates to SQL.
/// That every DTO member has a source is checked by the build (RequiredMappingStrategy.Target).
/// </summary>
public sealed class ProjectionTests
{
    [Fact]
    public void A_customer_projects_to_its_dto()
    {
        var customer = TestData.Customer(TestData.TenantA, "Acme", ownerId: TestData.UserId, email: "a@acme.test");
        customer.AddTags(["vip"]);
        customer.RecordPurchase(12.5m, new DateOnly(2024, 5, 10));

        var dto = CustomerMapper.ProjectToDto(new[] { customer }.AsQueryable()).Single();

        Assert.Equal(customer.Id, dto.Id);
        Assert.Equal("Acme", dto.Name);
        Assert.Equal("a@acme.test", dto.Email);
        Assert.Equal(new[] { "vip" }, dto.Tags);
        Assert.Equal(12.5m, dto.TotalRevenue);
        Assert.Equal(new DateOnly(2024, 5, 10), dto.LastPurchaseDate);
        Assert.Equal(TestData.UserId, dto.AssigneeId);
        Assert.Equal(0, dto.ContactCount);
        Assert.Equal(customer.Version, dto.Version);
    }

    [Fact]
    public void A_contact_projects_to_its_dto()
    {
        var customer = TestData.Customer(TestData.TenantA);
        var contact = TestData.Contact(TestData.TenantA, "Ann", "Smith", "ann@acme.test", linkedTo: customer, primary: true);

        var dto = ContactMapper.ProjectToDto(new[] { contact }.AsQueryable()).Single();

        Assert.Equal(contact.Id, dto.Id);
        Assert.Equal("Ann", dto.FirstName);
        Assert.Equal("Smith", dto.LastName);
        Assert.Equal("ann@acme.test", dto.Email);
        Assert.Equal(customer.Id, dto.CustomerId);
        Assert.True(dto.IsPrimary);
    }

    [Fact]
    public void A_user_is_active_until_deactivated()
    {
        var active = User.Create(TestData.TenantA, "ann@acme.test", "Ann", UserRole.Member);
        var gone = User.Create(TestData.TenantA, "bob@acme.test", "Bob", UserRole.Member);
        gone.Deactivate(DateTimeOffset.UtcNow);

        var dtos = UserMapper.ProjectToDto(new[] { active, gone }.AsQueryable()).ToList();

        Assert.True(dtos[0].Active);
        Assert.False(dtos[1].Active);
        Assert.Equal("ann@acme.test", dtos[0].Email);
        Assert.Equal(UserRole.Member, dtos[0].Role);
    }
}
