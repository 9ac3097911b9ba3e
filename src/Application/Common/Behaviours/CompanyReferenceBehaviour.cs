using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Companies;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Application.Common.Behaviours;

/// <summary>
/// A request that puts a record in one of the tenant's companies (<see cref="ICompanyReference"/>) names a company of
/// the caller's tenant, or it is a 404 like any other id, before its handler runs. Requests without a company pay nothing.
/// </summary>
public sealed class CompanyReferenceBehaviour<TRequest, TResponse>(IServiceProvider services, ITenantContext tenant) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is ICompanyReference { CompanyId: { } id }
            && !await services.GetRequiredService<IReadRepository<Company>>().AnyAsync(new ReadByIdSpecification<Company>(tenant, id), cancellationToken))
            throw new NotFoundException(nameof(Company), id);
        return await next();
    }
}
