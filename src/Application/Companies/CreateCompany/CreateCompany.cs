using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Companies;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Companies.CreateCompany;

/// <summary>A new company of the tenant; its administrators define them.</summary>
public sealed record CreateCompany : CompanyInput, ICommand<Guid>, ITenantAdminRequest;

public sealed class CreateCompanyValidator : AbstractValidator<CreateCompany>
{
    public CreateCompanyValidator() => this.ApplyCompanyInputRules();
}

public sealed class CreateCompanyHandler(IRepository<Company> companies, ITenantContext tenant) : IRequestHandler<CreateCompany, Guid>
{
    public Task<Guid> Handle(CreateCompany request, CancellationToken cancellationToken)
    {
        var company = Company.Create(tenant.TenantId, request.Name, request.Description);
        companies.Add(company);
        return Task.FromResult(company.Id);
    }
}
