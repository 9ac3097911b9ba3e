namespace CrmTenancy.Application.Common.Mapping;

/// <summary>
/// A DTO that is read straight from SQL: <see cref="ProjectFrom"/> is a Riok.Mapperly queryable projection, which
/// EF Core translates to a SELECT of the DTO's columns only (the aggregate is never materialised). Mapperly is
/// configured so that a DTO member without a source is a build error.
/// </summary>
public interface IProjection<TSource, TSelf> where TSelf : IProjection<TSource, TSelf>
{
    static abstract IQueryable<TSelf> ProjectFrom(IQueryable<TSource> source);
}

/// <summary>A resource with a concurrency version, which the API sends as its ETag.</summary>
public interface IVersioned
{
    int Version { get; }
}
