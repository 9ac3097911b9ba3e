using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Companies;
using MediatR;

namespace CrmTenancy.Application.Companies.DeleteCompany;

/// <summary>Deletes a company; one that customers or leads still belong to is a 409 (the database's reference).</summary>
public sealed record DeleteCompany(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class DeleteCompanyHandler(IRepository<Company> companies, ITenantContext tenant) : IRequestHandler<DeleteCompany, Unit>
{
    public async Task<Unit> Handle(DeleteCompany request, CancellationToken cancellationToken)
    {
        companies.Remove(await companies.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken));
        return Unit.Value;
    }
}
