using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Application.Customers;
using CrmTenancy.Application.Users;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Users;
using CrmTenancy.UnitTests.Support;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Common;

/// <summary>
/// The owner criterion a tenant specification adds when the tenant context carries an owner scope (a member of an
/// owner-only tenant): the member's own and assigned records of the tenant, nothing else.
/// </summary>
public sealed class OwnerScopeSpecificationTests
{
    private static readonly Guid Me = TestData.UserId;
    private static readonly Guid Colleague = Guid.Parse("0198a000-0000-7000-8000-0000000000bb");

    private readonly Customer _mine = TestData.Customer(TestData.TenantA, "Mine", ownerId: Me);
    private readonly Customer _assignedToMe = Assigned(TestData.Customer(TestData.TenantA, "Assigned to me", ownerId: Colleague), Me);
    private readonly Customer _ownedButAssignedAway = Assigned(TestData.Customer(TestData.TenantA, "Mine, given away", ownerId: Me), Colleague);
    private readonly Customer _colleagues = TestData.Customer(TestData.TenantA, "Colleague's", ownerId: Colleague);
    private readonly Customer _nobodys = TestData.Customer(TestData.TenantA, "Nobody's");
    private readonly Customer _otherTenantMine = TestData.Customer(TestData.TenantB, "Other tenant, same user id", ownerId: Me);

    private List<Customer> All => [_mine, _assignedToMe, _ownedButAssignedAway, _colleagues, _nobodys, _otherTenantMine];

    private static Customer Assigned(Customer customer, Guid assignee)
    {
        customer.AssignTo(assignee);
        customer.ClearDomainEvents();
        return customer;
    }

    private static ITenantContext Scoped(Guid tenantId, Guid? owner)
    {
        var tenant = TestData.TenantContext(tenantId);
        tenant.OwnerScope.Returns(owner);
        return tenant;
    }

    [Fact]
    public void With_an_owner_scope_the_criteria_keep_only_the_users_owned_or_assigned_records_of_the_tenant()
    {
        var spec = new CustomerListSpecification(Scoped(TestData.TenantA, Me), new CustomerFilter(), 1, 25);

        var kept = All.Where(c => spec.WhereExpressions.All(criterion => criterion.FilterFunc(c))).ToList();

        Assert.Equal(new[] { _mine, _assignedToMe, _ownedButAssignedAway }, kept);
        Assert.Equal(Me, ((ITenantScopedSpecification)spec).OwnerScope);
    }

    [Fact]
    public void The_owner_criterion_sits_right_after_the_tenant_criterion()
    {
        var spec = new ByIdSpecification<Customer>(Scoped(TestData.TenantA, Me), _colleagues.Id);

        Assert.Equal(3, spec.WhereExpressions.Count());
        var owner = spec.WhereExpressions.ElementAt(1).Filter.Compile();
        Assert.Equal(new[] { _mine, _assignedToMe, _ownedButAssignedAway, _otherTenantMine }, All.Where(owner));
        // By id, a colleague's record is simply not found.
        Assert.Empty(InMemory.Evaluate(spec, All));
        Assert.Equal(new[] { _mine }, InMemory.Evaluate(new ByIdSpecification<Customer>(Scoped(TestData.TenantA, Me), _mine.Id), All));
    }

    [Fact]
    public void Another_users_scope_sees_that_users_records()
    {
        var spec = new CustomerListSpecification(Scoped(TestData.TenantA, Colleague), new CustomerFilter(), 1, 25);

        Assert.Equal(
            new[] { _assignedToMe, _ownedButAssignedAway, _colleagues }.OrderBy(c => c.Name),
            InMemory.Evaluate(spec, All).OrderBy(c => c.Name));
    }

    [Fact]
    public void Without_an_owner_scope_there_is_no_owner_criterion()
    {
        var spec = new ByIdSpecification<Customer>(Scoped(TestData.TenantA, null), _colleagues.Id);

        Assert.Equal(2, spec.WhereExpressions.Count());
        Assert.Null(((ITenantScopedSpecification)spec).OwnerScope);
        Assert.Equal(new[] { _colleagues }, InMemory.Evaluate(spec, All));
    }

    [Fact]
    public void Contacts_are_scoped_by_owner_too()
    {
        var mine = TestData.Contact(TestData.TenantA, "Ann");
        var spec = new ContactListSpecification(Scoped(TestData.TenantA, Me), new ContactFilter(), 1, 25);

        // A contact created without an owner belongs to nobody: an owner-scoped member does not see it.
        Assert.Empty(InMemory.Evaluate(spec, [mine]));
        Assert.Equal(Me, ((ITenantScopedSpecification)spec).OwnerScope);
    }

    [Fact]
    public void A_type_without_owners_ignores_the_owner_scope()
    {
        var colleague = User.Create(TestData.TenantA, "colleague@a.example", "Colleague", UserRole.Member);
        var foreign = User.Create(TestData.TenantB, "foreign@b.example", "Foreign", UserRole.Member);
        var spec = new UserListSpecification(Scoped(TestData.TenantA, Me), 1, 25);

        Assert.Null(((ITenantScopedSpecification)spec).OwnerScope);
        Assert.Equal(new[] { colleague }, InMemory.Evaluate(spec, [colleague, foreign]));
    }
}
