using System.Linq.Expressions;
using System.Reflection;
using CrmTenancy.Application.Common.Mapping;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// A DTO's projection as one expression, taken once from its Mapperly <see cref="IProjection{TSource,TSelf}.ProjectFrom"/>.
/// Calling <c>ProjectFrom</c> per query builds the whole member-init tree anew, which EF Core then has to walk and hash
/// to find its cached plan; the same instance every time costs neither the building nor the allocations.
/// </summary>
internal static class Projection<T, TDto> where TDto : IProjection<T, TDto>
{
    public static readonly Expression<Func<T, TDto>> Selector = Extract();

    private static Expression<Func<T, TDto>> Extract()
    {
        var source = Enumerable.Empty<T>().AsQueryable();
        var projected = TDto.ProjectFrom(source).Expression;
        if (projected is MethodCallExpression { Method.Name: nameof(Queryable.Select), Arguments: [var from, UnaryExpression { Operand: Expression<Func<T, TDto>> selector }] }
            && from == source.Expression)
            return selector;
        throw new InvalidOperationException(
            $"{typeof(TDto).Name}.ProjectFrom is not one Select over its source; a projection must be a single member-init selector.");
    }
}

/// <summary>
/// The read of one aggregate by id as a DTO, compiled once per type (EF Core's <see cref="EF.CompileAsyncQuery{TContext,TParam1,TParam2,TResult}(Expression{Func{TContext,TParam1,TParam2,TResult}})"/>):
/// no expression tree is built, walked for parameters or hashed per request. It sends what the specification
/// path sends for a caller without an owner scope: the tenant query filter, the tenant criterion and the id.
/// </summary>
internal static class CompiledReadById<T, TDto> where T : class where TDto : IProjection<T, TDto>
{
    public static readonly Func<CrmDbContext, Guid, Guid, CancellationToken, Task<TDto?>> Query = Compile();

    private static Func<CrmDbContext, Guid, Guid, CancellationToken, Task<TDto?>> Compile()
    {
        var db = Expression.Parameter(typeof(CrmDbContext), "db");
        var tenantId = Expression.Parameter(typeof(Guid), "tenantId");
        var id = Expression.Parameter(typeof(Guid), "id");
        var entity = Expression.Parameter(typeof(T), "e");

        Expression rows = Expression.Call(db, QueryMethods.Set.MakeGenericMethod(typeof(T)));
        rows = Expression.Call(QueryMethods.IgnoreFilters.MakeGenericMethod(typeof(T)), rows,
            Expression.Constant(new[] { CrmDbContext.OwnerFilter }, typeof(IReadOnlyCollection<string>)));
        var criteria = Expression.AndAlso(
            Expression.Equal(Expression.Property(entity, "TenantId"), tenantId),
            Expression.Equal(Expression.Property(entity, "Id"), id));
        rows = Expression.Call(QueryMethods.Where.MakeGenericMethod(typeof(T)), rows, Expression.Quote(Expression.Lambda<Func<T, bool>>(criteria, entity)));
        var projected = Expression.Call(QueryMethods.Select.MakeGenericMethod(typeof(T), typeof(TDto)), rows, Expression.Quote(Projection<T, TDto>.Selector));
        var first = Expression.Call(QueryMethods.FirstOrDefault.MakeGenericMethod(typeof(TDto)), projected);
        var cancellation = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        var query = Expression.Lambda<Func<CrmDbContext, Guid, Guid, CancellationToken, TDto?>>(first, db, tenantId, id, cancellation);
        return EF.CompileAsyncQuery(query);
    }
}

/// <summary>The generic method definitions a compiled query is built from (a class of their own: a generic class's
/// static fields initialise in declaration order, after the query that needs them).</summary>
internal static class QueryMethods
{
    public static readonly MethodInfo Set = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;

    public static readonly MethodInfo IgnoreFilters = typeof(EntityFrameworkQueryableExtensions)
        .GetMethods().Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.IgnoreQueryFilters) && m.GetParameters().Length == 2);

    public static readonly MethodInfo Where = QueryableMethod(nameof(Queryable.Where), typeof(Func<,>));

    public static readonly MethodInfo Select = QueryableMethod(nameof(Queryable.Select), typeof(Func<,>));

    public static readonly MethodInfo FirstOrDefault = typeof(Queryable).GetMethods()
        .Single(m => m.Name == nameof(Queryable.FirstOrDefault) && m.GetParameters().Length == 1);

    private static MethodInfo QueryableMethod(string name, Type delegateType) => typeof(Queryable).GetMethods()
        .Single(m => m.Name == name && m.GetParameters() is [_, var selector]
                     && selector.ParameterType.GetGenericArguments()[0].GetGenericTypeDefinition() == delegateType);
}
