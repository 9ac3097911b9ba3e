using FluentValidation;
using Ardalis.Specification;

namespace CrmTenancy.Application.Common.Paging;

/// <summary>
/// A page of a list. <see cref="HasMore"/> says whether another page follows. <see cref="TotalCount"/> is the number of
/// matches: counted for a plain list, known for free when the matches end on this page, and null for a search whose
/// matches go on past this page (counting them would read every match; docs/decisions/0024).
/// </summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int? TotalCount, bool HasMore)
{
    public int? TotalPages => TotalCount is not { } total ? null : PageSize == 0 ? 0 : (int)Math.Ceiling(total / (double)PageSize);

    /// <summary>A page from a count already made: another page follows when the matches go past this one.</summary>
    public static PagedResult<T> Counted(IReadOnlyList<T> items, int page, int pageSize, int totalCount) =>
        new(items, page, pageSize, totalCount, (long)page * pageSize < totalCount);

    /// <summary>
    /// A page from the rows read with one more than the page size (<paramref name="rows"/>; the extra row, if any, is
    /// dropped): the total is known without counting when the matches end on this page; otherwise
    /// <paramref name="count"/> gives it, or null when it is not to be counted. A negative page size means no paging.
    /// </summary>
    public static async Task<PagedResult<T>> FromRowsAsync(List<T> rows, int skip, int pageSize, Func<Task<int?>> count)
    {
        skip = Math.Max(skip, 0);
        if (pageSize < 0)
            return new PagedResult<T>(rows, 1, rows.Count, skip + rows.Count, false);
        var page = pageSize == 0 ? 1 : skip / pageSize + 1;
        var hasMore = rows.Count > pageSize;
        if (hasMore)
            rows.RemoveRange(pageSize, rows.Count - pageSize);
        // A page that is not full, or full and the last, ends the matches; an empty page past the end says nothing.
        var total = !hasMore && (rows.Count > 0 || skip == 0) ? skip + rows.Count : await count();
        return new PagedResult<T>(rows, page, pageSize, total, hasMore);
    }
}

/// <summary>
/// A list specification that may search: while it does, its lists are not counted past the page
/// (<see cref="PagedResult{T}.TotalCount"/> is null when more matches follow).
/// </summary>
public interface ISearchingSpecification
{
    bool Searches { get; }
}

/// <summary>Paging input shared by list queries: 1-based page, bounded page size.</summary>
public static class Paging
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;
    /// <summary>Deep enough for any real list, and keeps (page - 1) * pageSize far from overflowing.</summary>
    public const int MaxPage = 1_000_000;
}

/// <summary>A list request with a 1-based page and a page size.</summary>
public interface IPagedQuery
{
    int Page { get; }
    int PageSize { get; }
}

public static class PagingRules
{
    /// <summary>The one definition of valid paging input, for every list.</summary>
    public static void ApplyPagingRules<T>(this AbstractValidator<T> validator) where T : IPagedQuery
    {
        validator.RuleFor(x => x.Page).InclusiveBetween(1, Paging.MaxPage);
        validator.RuleFor(x => x.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
    }
}
