using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Common;
using NSubstitute;

namespace CrmTenancy.UnitTests.Support;

/// <summary>
/// Evaluates specifications over in-memory objects (compiled criteria, orderings, paging), and backs substituted
/// repositories with a list, so handlers run against their real specifications.
/// </summary>
public static class InMemory
{
    /// <summary>Ardalis.Specification's in-memory evaluator: the same criteria, order and page as the SQL.</summary>
    public static List<T> Evaluate<T>(ISpecification<T> specification, IEnumerable<T> source) =>
        specification.Evaluate(source).ToList();

    /// <summary>
    /// A substituted repository whose reads evaluate the specification over <paramref name="store"/>. Like the real
    /// repository, it refuses a specification that is not scoped to <paramref name="currentTenant"/>.
    /// Writes (Add, Remove, ExpectVersion) are only recorded, for the tests to check with Received().
    /// </summary>
    public static IRepository<T> Repository<T>(Guid currentTenant, params IEnumerable<T> store) where T : class, ITenantOwned
    {
        var items = store.ToList();
        var repository = Substitute.For<IRepository<T>>();
        repository.FirstOrDefaultAsync(Arg.Any<ISpecification<T>>(), Arg.Any<CancellationToken>())
            .Returns(call => Read(call.Arg<ISpecification<T>>(), currentTenant, items).FirstOrDefault());
        repository.ListAsync(Arg.Any<ISpecification<T>>(), Arg.Any<CancellationToken>())
            .Returns(call => Read(call.Arg<ISpecification<T>>(), currentTenant, items));
        repository.AnyAsync(Arg.Any<ISpecification<T>>(), Arg.Any<CancellationToken>())
            .Returns(call => Read(call.Arg<ISpecification<T>>(), currentTenant, items).Count > 0);
        repository.CountAsync(Arg.Any<ISpecification<T>>(), Arg.Any<CancellationToken>())
            .Returns(call => Read(call.Arg<ISpecification<T>>(), currentTenant, items).Count);
        return repository;
    }

    private static List<T> Read<T>(ISpecification<T> specification, Guid currentTenant, List<T> items)
    {
        var scoped = Assert.IsAssignableFrom<ITenantScopedSpecification>(specification);
        Assert.Equal(currentTenant, scoped.TenantId);
        return Evaluate(specification, items);
    }
}
