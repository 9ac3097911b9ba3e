using CrmTenancy.Application.Common.Paging;
using Ardalis.Specification;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Application.Customers;

public sealed class CustomerListSpecificationTests
{
    private static readonly Guid Assignee = Guid.Parse("0198a000-0000-7000-8000-0000000000bb");

    private static List<Customer> Evaluate(CustomerFilter filter, IEnumerable<Customer> customers, int page = 1, int pageSize = 25) =>
        InMemory.Evaluate(new CustomerListSpecification(TestData.TenantContext(TestData.TenantA), filter, page, pageSize), customers);

    [Fact]
    public void Without_filters_it_keeps_every_customer_of_the_tenant_only()
    {
        var a = TestData.Customer(TestData.TenantA, "Alpha");
        var b = TestData.Customer(TestData.TenantB, "Alpha");

        Assert.Equal(new[] { a }, Evaluate(new CustomerFilter(), [a, b]));
    }

    [Fact]
    public void Blank_filters_add_no_criteria()
    {
        var spec = new CustomerListSpecification(TestData.TenantContext(TestData.TenantA), new CustomerFilter(Tag: " ", Search: "  "), 1, 25);

        Assert.Single(spec.WhereExpressions);
    }

    [Fact]
    public void Filters_by_status()
    {
        var active = TestData.Customer(TestData.TenantA, "Active");
        var churned = TestData.Customer(TestData.TenantA, "Churned");
        churned.ChangeStatus(CustomerStatus.Churned);

        Assert.Equal(new[] { churned }, Evaluate(new CustomerFilter(Status: CustomerStatus.Churned), [active, churned]));
    }

    [Fact]
    public void Filters_by_source()
    {
        var web = TestData.Customer(TestData.TenantA, "Web", source: CustomerSource.Web);
        var direct = TestData.Customer(TestData.TenantA, "Direct", source: CustomerSource.Direct);

        Assert.Equal(new[] { web }, Evaluate(new CustomerFilter(Source: CustomerSource.Web), [web, direct]));
    }

    [Fact]
    public void Filters_by_assignee()
    {
        var mine = TestData.Customer(TestData.TenantA, "Mine", ownerId: Assignee);
        var theirs = TestData.Customer(TestData.TenantA, "Theirs", ownerId: TestData.UserId);
        var nobodys = TestData.Customer(TestData.TenantA, "Nobody's");

        Assert.Equal(new[] { mine }, Evaluate(new CustomerFilter(AssigneeId: Assignee), [mine, theirs, nobodys]));
    }

    [Fact]
    public void Filters_by_the_normalised_tag()
    {
        var vip = TestData.Customer(TestData.TenantA, "Vip");
        vip.AddTags(["vip-client", "partner"]);
        var plain = TestData.Customer(TestData.TenantA, "Plain");
        plain.AddTags(["vip"]);

        Assert.Equal(new[] { vip }, Evaluate(new CustomerFilter(Tag: "  VIP  Client "), [vip, plain]));
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("ACME")]
    [InlineData(" cme L ")]
    public void Searches_the_name_case_insensitively(string search)
    {
        var acme = TestData.Customer(TestData.TenantA, "Acme Ltd");
        var globex = TestData.Customer(TestData.TenantA, "Globex");

        Assert.Equal(new[] { acme }, Evaluate(new CustomerFilter(Search: search), [acme, globex]));
    }

    [Fact]
    public void Searches_the_email_and_the_company_name()
    {
        var byEmail = TestData.Customer(TestData.TenantA, "One", email: "buyer@initech.test");
        var byCompany = TestData.Customer(TestData.TenantA, "Two", companyName: "Initech Group");
        var neither = TestData.Customer(TestData.TenantA, "Three", email: "x@globex.test", companyName: "Globex");

        Assert.Equal(new[] { byEmail, byCompany }, Evaluate(new CustomerFilter(Search: "initech"), [byEmail, byCompany, neither]));
    }

    [Fact]
    public void Search_never_returns_a_customer_of_another_tenant()
    {
        var foreign = TestData.Customer(TestData.TenantB, "Acme Ltd");

        Assert.Empty(Evaluate(new CustomerFilter(Search: "acme"), [foreign]));
    }

    [Fact]
    public void Search_treats_percent_as_a_literal_character()
    {
        var discount = TestData.Customer(TestData.TenantA, "50% Off Ltd");
        var fiveHundred = TestData.Customer(TestData.TenantA, "500 Ltd");

        Assert.Equal(new[] { discount }, Evaluate(new CustomerFilter(Search: "50%"), [discount, fiveHundred]));
    }

    [Fact]
    public void Search_treats_underscore_as_a_literal_character()
    {
        var underscored = TestData.Customer(TestData.TenantA, "a_b Ltd");
        var other = TestData.Customer(TestData.TenantA, "axb Ltd");

        Assert.Equal(new[] { underscored }, Evaluate(new CustomerFilter(Search: "a_b"), [underscored, other]));
    }

    [Fact]
    public void Filters_combine()
    {
        var match = TestData.Customer(TestData.TenantA, "Acme Web", source: CustomerSource.Web, ownerId: Assignee);
        var wrongSource = TestData.Customer(TestData.TenantA, "Acme Direct", source: CustomerSource.Direct, ownerId: Assignee);
        var wrongName = TestData.Customer(TestData.TenantA, "Globex Web", source: CustomerSource.Web, ownerId: Assignee);

        var result = Evaluate(new CustomerFilter(Source: CustomerSource.Web, AssigneeId: Assignee, Search: "acme"), [match, wrongSource, wrongName]);

        Assert.Equal(new[] { match }, result);
    }

    [Fact]
    public void Orders_by_name_ascending_by_default()
    {
        var c = TestData.Customer(TestData.TenantA, "Charlie");
        var a = TestData.Customer(TestData.TenantA, "Alpha");
        var b = TestData.Customer(TestData.TenantA, "Bravo");

        Assert.Equal(new[] { a, b, c }, Evaluate(new CustomerFilter(), [c, a, b]));
    }

    [Fact]
    public void Orders_by_name_descending_when_asked()
    {
        var c = TestData.Customer(TestData.TenantA, "Charlie");
        var a = TestData.Customer(TestData.TenantA, "Alpha");
        var b = TestData.Customer(TestData.TenantA, "Bravo");

        Assert.Equal(new[] { c, b, a }, Evaluate(new CustomerFilter(Direction: SortDirection.Desc), [a, c, b]));
    }

    [Fact]
    public void Breaks_name_ties_by_id_in_the_same_direction()
    {
        var first = TestData.Customer(TestData.TenantA, "Same");
        var second = TestData.Customer(TestData.TenantA, "Same");
        var ordered = new[] { first, second }.OrderBy(c => c.Id).ToArray();

        Assert.Equal(ordered, Evaluate(new CustomerFilter(), [ordered[1], ordered[0]]));
        Assert.Equal(ordered.Reverse(), Evaluate(new CustomerFilter(Direction: SortDirection.Desc), ordered));
    }

    [Theory]
    [InlineData(CustomerSort.Name)]
    [InlineData(CustomerSort.Created)]
    [InlineData(CustomerSort.Updated)]
    public void Every_sort_ends_with_the_id_as_a_tie_breaker(CustomerSort sort)
    {
        var spec = new CustomerListSpecification(TestData.TenantContext(TestData.TenantA), new CustomerFilter(Sort: sort, Direction: SortDirection.Desc), 1, 25);

        Assert.Equal(2, spec.OrderExpressions.Count());
        Assert.All(spec.OrderExpressions, o => Assert.Contains(o.OrderType, new[] { OrderTypeEnum.OrderByDescending, OrderTypeEnum.ThenByDescending }));
        var last = spec.OrderExpressions.Last().KeySelector.Compile();
        var customer = TestData.Customer(TestData.TenantA);
        Assert.Equal(customer.Id, last(customer));
    }

    [Fact]
    public void Pages_with_a_one_based_page_number_and_never_tracks()
    {
        var spec = new CustomerListSpecification(TestData.TenantContext(TestData.TenantA), new CustomerFilter(), page: 3, pageSize: 10);

        Assert.Equal(20, spec.Skip);
        Assert.Equal(10, spec.Take);
        Assert.True(spec.AsNoTracking);
    }

    [Fact]
    public void Returns_the_requested_page()
    {
        var customers = Enumerable.Range(1, 5).Select(i => TestData.Customer(TestData.TenantA, $"Customer {i}")).ToList();

        var page = Evaluate(new CustomerFilter(), customers, page: 2, pageSize: 2);

        Assert.Equal(new[] { customers[2], customers[3] }, page);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 0)]
    public void Refuses_a_page_or_page_size_below_one(int page, int pageSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new CustomerListSpecification(TestData.TenantContext(TestData.TenantA), new CustomerFilter(), page, pageSize));
    }
}
