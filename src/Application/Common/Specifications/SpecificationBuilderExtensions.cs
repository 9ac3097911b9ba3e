using System.Linq.Expressions;
using Ardalis.Specification;

namespace CrmTenancy.Application.Common.Specifications;

/// <summary>The house's additions to Ardalis.Specification's builder: an order whose direction is data, and 1-based pages.</summary>
public static class SpecificationBuilderExtensions
{
    /// <summary>The first ordering, ascending or descending as the caller asked.</summary>
    public static IOrderedSpecificationBuilder<T> OrderByDirection<T>(
        this ISpecificationBuilder<T> builder, Expression<Func<T, object?>> keySelector, bool descending) =>
        descending ? builder.OrderByDescending(keySelector) : builder.OrderBy(keySelector);

    /// <summary>A tie-breaking ordering in the given direction.</summary>
    public static IOrderedSpecificationBuilder<T> ThenByDirection<T>(
        this IOrderedSpecificationBuilder<T> builder, Expression<Func<T, object?>> keySelector, bool descending) =>
        descending ? builder.ThenByDescending(keySelector) : builder.ThenBy(keySelector);

    /// <summary>1-based page of <paramref name="pageSize"/> rows.</summary>
    public static ISpecificationBuilder<T> Page<T>(this ISpecificationBuilder<T> builder, int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return builder.Skip((page - 1) * pageSize).Take(pageSize);
    }
}
