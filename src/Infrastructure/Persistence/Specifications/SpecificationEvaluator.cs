using Ardalis.Specification;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence.Specifications;

/// <summary>
/// Ardalis.Specification's EF Core evaluator is not served here, so this is the product's: the core package's Where,
/// Order and Pagination evaluators, then tracking. Text search is written as criteria (<c>TextSearch.Matches</c>,
/// translated to <c>lower(column) LIKE pattern</c>), so the package's Search criteria, includes, query-filter
/// switches and projections are refused rather than silently ignored.
/// </summary>
public sealed class EfSpecificationEvaluator : ISpecificationEvaluator
{
    public static readonly EfSpecificationEvaluator Default = new([
        WhereEvaluator.Instance, OrderEvaluator.Instance, PaginationEvaluator.Instance, TrackingEvaluator.Instance]);

    /// <summary>The same without the specification's paging, for a caller that pages itself (a page and one row more).</summary>
    public static readonly EfSpecificationEvaluator Unpaged = new([WhereEvaluator.Instance, OrderEvaluator.Instance, TrackingEvaluator.Instance]);

    private readonly IReadOnlyList<IEvaluator> _evaluators;

    public EfSpecificationEvaluator(IReadOnlyList<IEvaluator> evaluators) => _evaluators = evaluators;

    /// <summary>The specification applied to <paramref name="query"/>; with <paramref name="evaluateCriteriaOnly"/>, its criteria alone (for counts).</summary>
    public IQueryable<T> GetQuery<T>(IQueryable<T> query, ISpecification<T> specification, bool evaluateCriteriaOnly = false) where T : class
    {
        EnsureSupported(specification);
        foreach (var evaluator in _evaluators)
        {
            if (!evaluateCriteriaOnly || evaluator.IsCriteriaEvaluator)
                query = evaluator.GetQuery(query, specification);
        }
        return query;
    }

    public IQueryable<TResult> GetQuery<T, TResult>(IQueryable<T> query, ISpecification<T, TResult> specification) where T : class =>
        throw new NotSupportedException("Projections are DTO types (IProjection<TSource, TDto>), not specification selectors.");

    private static void EnsureSupported<T>(ISpecification<T> specification)
    {
        if (specification.SearchCriterias.Any() || specification.IncludeExpressions.Any() || specification.IncludeStrings.Any()
            || specification.IgnoreQueryFilters || specification.PostProcessingAction is not null)
            throw new NotSupportedException(
                $"{specification.GetType().Name} uses a feature this evaluator does not apply (search criteria, includes, " +
                "ignoring query filters or post-processing); write it as criteria.");
    }
}

/// <summary>No-tracking reads for specifications that say so.</summary>
public sealed class TrackingEvaluator : IEvaluator
{
    public static readonly TrackingEvaluator Instance = new();

    public bool IsCriteriaEvaluator => false;

    public IQueryable<T> GetQuery<T>(IQueryable<T> query, ISpecification<T> specification) where T : class =>
        specification.AsNoTracking ? query.AsNoTracking() : query;
}
