using System.Text.Json.Serialization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Companies;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Companies.UpdateCompany;

/// <summary>Replaces the company's name and description (a PUT).</summary>
public sealed record UpdateCompany : CompanyInput, ICommand<Unit>, IConditionalCommand, IReplacement, ITenantAdminRequest
{
    /// <summary>From the route, never from the body.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>From the If-Match header, never from the body.</summary>
    [JsonIgnore]
    public int? ExpectedVersion { get; init; }
}

public sealed class UpdateCompanyValidator : AbstractValidator<UpdateCompany>
{
    public UpdateCompanyValidator() => this.ApplyCompanyInputRules();
}

public sealed class UpdateCompanyHandler(IRepository<Company> companies, ITenantContext tenant) : IRequestHandler<UpdateCompany, Unit>
{
    public async Task<Unit> Handle(UpdateCompany request, CancellationToken cancellationToken)
    {
        var company = await companies.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        company.Update(request.Name, request.Description);
        return Unit.Value;
    }
}
