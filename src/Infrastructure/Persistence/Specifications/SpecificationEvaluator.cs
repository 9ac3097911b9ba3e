using CrmTenancy.Application.Common.Specifications;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence.Specifications;

/// <summary>One step of turning a specification into a query.</summary>
public interface IEvaluator
{
    IQueryable<T> Apply<T>(IQueryable<T> query, ISpecification<T> specification) where T : class;
}

/// <summary>Applies a specification as an ordered list of small evaluators: criteria, ordering, paging, tracking.</summary>
public sealed class SpecificationEvaluator
{
    public static readonly SpecificationEvaluator Default = new([
        new CriteriaEvaluator(), new OrderingEvaluator(), new PagingEvaluator(), new TrackingEvaluator()]);

    /// <summary>For counts: criteria only, so ordering and paging cannot change the total.</summary>
    public static readonly SpecificationEvaluator CriteriaOnly = new([new CriteriaEvaluator()]);

    private readonly IReadOnlyList<IEvaluator> _evaluators;

    public SpecificationEvaluator(IReadOnlyList<IEvaluator> evaluators) => _evaluators = evaluators;

    public IQueryable<T> Apply<T>(IQueryable<T> query, ISpecification<T> specification) where T : class =>
        _evaluators.Aggregate(query, (current, evaluator) => evaluator.Apply(current, specification));
}

public sealed class CriteriaEvaluator : IEvaluator
{
    public IQueryable<T> Apply<T>(IQueryable<T> query, ISpecification<T> specification) where T : class =>
        specification.Criteria.Aggregate(query, (current, criterion) => current.Where(criterion));
}

public sealed class OrderingEvaluator : IEvaluator
{
    public IQueryable<T> Apply<T>(IQueryable<T> query, ISpecification<T> specification) where T : class
    {
        IOrderedQueryable<T>? ordered = null;
        foreach (var (key, descending) in specification.Orderings)
        {
            ordered = (ordered, descending) switch
            {
                (null, false) => query.OrderBy(key),
                (null, true) => query.OrderByDescending(key),
                (_, false) => ordered.ThenBy(key),
                (_, true) => ordered.ThenByDescending(key),
            };
        }
        return ordered ?? query;
    }
}

public sealed class PagingEvaluator : IEvaluator
{
    public IQueryable<T> Apply<T>(IQueryable<T> query, ISpecification<T> specification) where T : class
    {
        if (specification.Skip is { } skip)
            query = query.Skip(skip);
        if (specification.Take is { } take)
            query = query.Take(take);
        return query;
    }
}

public sealed class TrackingEvaluator : IEvaluator
{
    public IQueryable<T> Apply<T>(IQueryable<T> query, ISpecification<T> specification) where T : class =>
        specification.AsNoTracking ? query.AsNoTracking() : query;
}
