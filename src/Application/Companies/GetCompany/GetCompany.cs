using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Companies;
using MediatR;

namespace CrmTenancy.Application.Companies.GetCompany;

public sealed record GetCompany(Guid Id) : IGetById<Company, CompanyDto>;

public sealed class GetCompanyHandler(IReadRepository<Company> companies, ITenantContext tenant) : IRequestHandler<GetCompany, CompanyDto>
{
    public Task<CompanyDto> Handle(GetCompany request, CancellationToken cancellationToken) =>
        companies.GetDtoAsync<Company, CompanyDto>(tenant, request.Id, cancellationToken);
}
