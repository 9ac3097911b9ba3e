using Ardalis.Specification;
using System.Linq.Expressions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Application.Common;

public sealed class TenantSpecificationTests
{
    private readonly Customer _a1 = TestData.Customer(TestData.TenantA, "Alpha");
    private readonly Customer _a2 = TestData.Customer(TestData.TenantA, "Beta");
    private readonly Customer _b1 = TestData.Customer(TestData.TenantB, "Alpha");

    private List<Customer> All => [_a1, _b1, _a2];

    public static TheoryData<string> CustomerSpecifications => ["list", "byId", "readById"];

    private ISpecification<Customer> Build(string kind, Guid tenantId, Guid? id = null)
    {
        var tenant = TestData.TenantContext(tenantId);
        return kind switch
        {
            "list" => new CustomerListSpecification(tenant, new CustomerFilter(), 1, 25),
            "byId" => new ByIdSpecification<Customer>(tenant, id ?? _a1.Id),
            _ => new ReadByIdSpecification<Customer>(tenant, id ?? _a1.Id),
        };
    }

    [Theory]
    [MemberData(nameof(CustomerSpecifications))]
    public void The_first_criterion_keeps_only_the_rows_of_the_tenant(string kind)
    {
        var first = Build(kind, TestData.TenantA).WhereExpressions.First().Filter.Compile();

        Assert.Equal(new[] { _a1, _a2 }, All.Where(first));
    }

    [Theory]
    [MemberData(nameof(CustomerSpecifications))]
    public void The_first_criterion_of_another_tenant_keeps_only_that_tenants_rows(string kind)
    {
        var first = Build(kind, TestData.TenantB).WhereExpressions.First().Filter.Compile();

        Assert.Equal(new[] { _b1 }, All.Where(first));
    }

    [Theory]
    [MemberData(nameof(CustomerSpecifications))]
    public void The_specification_exposes_its_tenant(string kind)
    {
        var scoped = Assert.IsAssignableFrom<ITenantScopedSpecification>(Build(kind, TestData.TenantB));

        Assert.Equal(TestData.TenantB, scoped.TenantId);
    }

    [Fact]
    public void The_tenant_criterion_compares_the_TenantId_member()
    {
        var criterion = Build("list", TestData.TenantA).WhereExpressions.First().Filter;

        var equal = Assert.IsAssignableFrom<BinaryExpression>(criterion.Body);
        Assert.Equal(ExpressionType.Equal, equal.NodeType);
        var member = Assert.IsAssignableFrom<MemberExpression>(equal.Left);
        Assert.Equal(nameof(Customer.TenantId), member.Member.Name);
        Assert.Same(criterion.Parameters[0], member.Expression);
    }

    [Fact]
    public void The_tenant_criterion_reads_the_tenant_through_a_closure_not_a_baked_in_constant()
    {
        var criterion = Build("list", TestData.TenantA).WhereExpressions.First().Filter;

        var constants = new ConstantCollector();
        constants.Visit(criterion);

        Assert.DoesNotContain(constants.Values, v => v is Guid);
        Assert.NotEmpty(constants.Values);
    }

    [Fact]
    public void The_tenant_criterion_works_for_contacts_too()
    {
        var mine = TestData.Contact(TestData.TenantA);
        var theirs = TestData.Contact(TestData.TenantB);

        var spec = new ContactListSpecification(TestData.TenantContext(TestData.TenantA), new ContactFilter(), 1, 25);

        Assert.Equal(new[] { mine }, new[] { theirs, mine }.Where(spec.WhereExpressions.First().Filter.Compile()));
    }

    [Fact]
    public void ById_finds_the_aggregate_of_the_tenant()
    {
        var spec = new ByIdSpecification<Customer>(TestData.TenantContext(TestData.TenantA), _a2.Id);

        Assert.Equal(new[] { _a2 }, InMemory.Evaluate(spec, All));
        Assert.False(spec.AsNoTracking);
    }

    [Fact]
    public void ById_does_not_find_the_aggregate_of_another_tenant()
    {
        var spec = new ByIdSpecification<Customer>(TestData.TenantContext(TestData.TenantA), _b1.Id);

        Assert.Empty(InMemory.Evaluate(spec, All));
        Assert.Equal(2, spec.WhereExpressions.Count());
    }

    [Fact]
    public void ReadById_finds_the_aggregate_of_the_tenant_without_tracking()
    {
        var spec = new ReadByIdSpecification<Customer>(TestData.TenantContext(TestData.TenantA), _a1.Id);

        Assert.Equal(new[] { _a1 }, InMemory.Evaluate(spec, All));
        Assert.Empty(InMemory.Evaluate(new ReadByIdSpecification<Customer>(TestData.TenantContext(TestData.TenantB), _a1.Id), All));
        Assert.True(spec.AsNoTracking);
    }

    private sealed class ConstantCollector : ExpressionVisitor
    {
        public List<object?> Values { get; } = [];

        protected override Expression VisitConstant(ConstantExpression node)
        {
            Values.Add(node.Value);
            return base.VisitConstant(node);
        }
    }
}
