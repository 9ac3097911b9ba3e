using System.Linq.Expressions;

namespace CrmTenancy.Application.Common.Specifications;

/// <summary>What to read: criteria, ordering, paging and tracking. Shaped like Ardalis.Specification.</summary>
public interface ISpecification<T>
{
    IReadOnlyList<Expression<Func<T, bool>>> Criteria { get; }
    IReadOnlyList<OrderExpression<T>> Orderings { get; }
    int? Skip { get; }
    int? Take { get; }
    bool AsNoTracking { get; }
}

public sealed record OrderExpression<T>(Expression<Func<T, object?>> KeySelector, bool Descending);

/// <summary>A parameterised query over <typeparamref name="T"/>: one class per kind of read, a filter object for its options.</summary>
public abstract class Specification<T> : ISpecification<T>
{
    private readonly List<Expression<Func<T, bool>>> _criteria = [];
    private readonly List<OrderExpression<T>> _orderings = [];

    public IReadOnlyList<Expression<Func<T, bool>>> Criteria => _criteria;
    public IReadOnlyList<OrderExpression<T>> Orderings => _orderings;
    public int? Skip { get; private set; }
    public int? Take { get; private set; }
    public bool AsNoTracking { get; private set; }

    protected void Where(Expression<Func<T, bool>> criterion) => _criteria.Add(criterion);

    protected void OrderBy(Expression<Func<T, object?>> keySelector) => _orderings.Add(new(keySelector, false));

    protected void OrderByDescending(Expression<Func<T, object?>> keySelector) => _orderings.Add(new(keySelector, true));

    protected void Order(Expression<Func<T, object?>> keySelector, bool descending) => _orderings.Add(new(keySelector, descending));

    /// <summary>1-based page of <paramref name="pageSize"/> rows.</summary>
    protected void Page(int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        Skip = (page - 1) * pageSize;
        Take = pageSize;
    }

    protected void NoTracking() => AsNoTracking = true;
}
