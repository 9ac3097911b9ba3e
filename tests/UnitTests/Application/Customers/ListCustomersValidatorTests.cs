using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Customers;
using CrmTenancy.Application.Customers.CreateCustomer;
using CrmTenancy.Application.Customers.ListCustomers;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using FluentValidation.Results;

namespace CrmTenancy.UnitTests.Application.Customers;

public sealed class ListCustomersValidatorTests
{
    private static readonly ListCustomersValidator Validator = new();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Paging.MaxPageSize + 1)]
    public void A_page_size_outside_1_to_100_is_refused(int pageSize)
    {
        var result = Validator.Validate(new ListCustomers(new CustomerFilter(), 1, pageSize));

        Assert.Equal(nameof(ListCustomers.PageSize), Assert.Single(result.Errors).PropertyName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Paging.DefaultPageSize)]
    [InlineData(Paging.MaxPageSize)]
    public void A_page_size_within_1_to_100_passes(int pageSize)
    {
        Assert.True(Validator.Validate(new ListCustomers(new CustomerFilter(), 1, pageSize)).IsValid);
    }

    [Fact]
    public void Page_zero_is_refused()
    {
        var result = Validator.Validate(new ListCustomers(new CustomerFilter(), 0));

        Assert.Equal(nameof(ListCustomers.Page), Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void A_search_term_longer_than_the_maximum_is_refused()
    {
        var result = Validator.Validate(new ListCustomers(new CustomerFilter(Search: new string('s', 101))));

        Assert.Equal("search", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void A_tag_filter_without_letters_or_digits_is_refused()
    {
        var result = Validator.Validate(new ListCustomers(new CustomerFilter(Tag: "--")));

        Assert.Equal("tag", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Undefined_enum_values_are_refused()
    {
        var filter = new CustomerFilter(Status: (CustomerStatus)9, Source: (CustomerSource)9, Sort: (CustomerSort)9, Direction: (SortDirection)9);

        var result = Validator.Validate(new ListCustomers(filter));

        Assert.Equal(new[] { "direction", "sort", "source", "status" }, result.Errors.Select(e => e.PropertyName).Order().ToArray());
    }

    [Fact]
    public void A_full_valid_filter_passes()
    {
        var filter = new CustomerFilter(CustomerStatus.Active, CustomerSource.Web, "vip client", Guid.CreateVersion7(), "acme",
            CustomerSort.Updated, SortDirection.Desc);

        Assert.True(Validator.Validate(new ListCustomers(filter, 2, 50)).IsValid);
    }
}
