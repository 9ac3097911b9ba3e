using System.Reflection;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Application.Activities;

/// <summary>
/// Answers for any aggregate type through its own repository and <see cref="ReadByIdSpecification{T}"/>: the tenant
/// and the caller's record visibility apply as to a read of the record. A new module's records need nothing here.
/// </summary>
public sealed class RecordDirectory(IServiceProvider services, ITenantContext tenant) : IRecordDirectory
{
    private static readonly MethodInfo VisibleMethod = typeof(RecordDirectory).GetMethod(nameof(VisibleAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public Task<bool> IsVisibleAsync(Type recordType, Guid id, CancellationToken cancellationToken)
    {
        if (!typeof(AggregateRoot).IsAssignableFrom(recordType) || !typeof(ITenantOwned).IsAssignableFrom(recordType))
            throw new ArgumentException($"{recordType.Name} is not a tenant's record.", nameof(recordType));
        return (Task<bool>)VisibleMethod.MakeGenericMethod(recordType).Invoke(this, [id, cancellationToken])!;
    }

    private Task<bool> VisibleAsync<T>(Guid id, CancellationToken cancellationToken) where T : AggregateRoot, ITenantOwned =>
        services.GetRequiredService<IReadRepository<T>>().AnyAsync(new ReadByIdSpecification<T>(tenant, id), cancellationToken);
}
