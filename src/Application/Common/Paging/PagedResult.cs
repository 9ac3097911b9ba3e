using FluentValidation;
using Ardalis.Specification;

namespace CrmTenancy.Application.Common.Paging;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public int TotalPages => PageSize == 0 ? 0 : (int)Math.Ceiling(TotalCount / (double)PageSize);

    public static PagedResult<T> From<TSource>(IReadOnlyList<T> items, ISpecification<TSource> specification, int totalCount)
    {
        // Ardalis.Specification marks "no paging" with a negative Skip and Take.
        var pageSize = specification.Take >= 0 ? specification.Take : totalCount;
        var page = pageSize == 0 ? 1 : Math.Max(specification.Skip, 0) / pageSize + 1;
        return new PagedResult<T>(items, page, pageSize, totalCount);
    }
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
