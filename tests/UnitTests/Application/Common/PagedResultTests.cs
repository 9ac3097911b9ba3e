using CrmTenancy.Application.Common.Paging;

namespace CrmTenancy.UnitTests.Application.Common;

public sealed class PagedResultTests
{
    private int _counts;

    private Func<Task<int?>> Count(int? total) => () =>
    {
        _counts++;
        return Task.FromResult(total);
    };

    [Fact]
    public async Task A_page_that_is_not_full_ends_the_matches_and_is_not_counted()
    {
        var page = await PagedResult<int>.FromRowsAsync([7, 8], skip: 25, pageSize: 25, Count(999));

        Assert.Equal((2, 27, false, 2), (page.Page, page.TotalCount, page.HasMore, page.TotalPages));
        Assert.Equal(0, _counts);
    }

    [Fact]
    public async Task A_full_page_without_a_row_past_it_is_the_last_and_is_not_counted()
    {
        var page = await PagedResult<int>.FromRowsAsync([1, 2], skip: 0, pageSize: 2, Count(999));

        Assert.Equal((2, false), (page.TotalCount, page.HasMore));
        Assert.Equal(0, _counts);
    }

    [Fact]
    public async Task The_row_past_a_full_page_is_dropped_says_more_follow_and_the_total_is_counted()
    {
        var page = await PagedResult<int>.FromRowsAsync([1, 2, 3], skip: 2, pageSize: 2, Count(5));

        Assert.Equal([1, 2], page.Items);
        Assert.Equal((2, 5, true, 3), (page.Page, page.TotalCount, page.HasMore, page.TotalPages));
        Assert.Equal(1, _counts);
    }

    [Fact]
    public async Task A_count_that_answers_nothing_leaves_the_total_unknown()
    {
        var page = await PagedResult<int>.FromRowsAsync([1, 2, 3], skip: 0, pageSize: 2, Count(null));

        Assert.Equal((null, true, null), (page.TotalCount, page.HasMore, page.TotalPages));
    }

    [Fact]
    public async Task An_empty_page_past_the_end_is_counted_and_an_empty_first_page_is_not()
    {
        var past = await PagedResult<int>.FromRowsAsync([], skip: 50, pageSize: 25, Count(30));
        Assert.Equal((3, 30, false), (past.Page, past.TotalCount, past.HasMore));
        Assert.Equal(1, _counts);

        var none = await PagedResult<int>.FromRowsAsync([], skip: 0, pageSize: 25, Count(30));
        Assert.Equal((0, false), (none.TotalCount, none.HasMore));
        Assert.Equal(1, _counts);
    }

    [Fact]
    public async Task Without_paging_every_row_is_the_page()
    {
        var page = await PagedResult<int>.FromRowsAsync([1, 2, 3], skip: -1, pageSize: -1, Count(999));

        Assert.Equal((1, 3, 3, false), (page.Page, page.PageSize, page.TotalCount, page.HasMore));
        Assert.Equal(0, _counts);
    }

    [Fact]
    public async Task Without_a_page_size_the_rows_skipped_count_towards_the_total()
    {
        var page = await PagedResult<int>.FromRowsAsync([4, 5], skip: 3, pageSize: -1, Count(999));

        Assert.Equal((5, false), (page.TotalCount, page.HasMore));
        Assert.Equal(0, _counts);
    }

    [Theory]
    [InlineData(1, 25, 25, false)]
    [InlineData(1, 25, 26, true)]
    [InlineData(2, 25, 50, false)]
    public void A_counted_page_has_more_when_the_total_goes_past_it(int pageNumber, int pageSize, int total, bool more) =>
        Assert.Equal(more, PagedResult<int>.Counted([], pageNumber, pageSize, total).HasMore);
}
