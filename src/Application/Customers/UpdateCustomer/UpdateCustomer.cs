using System.Text.Json.Serialization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Customers.UpdateCustomer;

/// <summary>Replaces the descriptive fields (a PUT): fields left out become empty.</summary>
public sealed record UpdateCustomer : CustomerInput, ICommand<Unit>, IConditionalCommand, IReplacement
{
    /// <summary>From the route, never from the body.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>From the If-Match header, never from the body.</summary>
    [JsonIgnore]
    public int? ExpectedVersion { get; init; }
}

public sealed class UpdateCustomerValidator : AbstractValidator<UpdateCustomer>
{
    public UpdateCustomerValidator() => this.ApplyCustomerInputRules();
}

public sealed class UpdateCustomerHandler(IRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<UpdateCustomer, Unit>
{
    public async Task<Unit> Handle(UpdateCustomer request, CancellationToken cancellationToken)
    {
        var customer = await customers.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        customer.Update(request.ToDetails(), request.Source);
        return Unit.Value;
    }
}
