using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Customers.CreateCustomer;

public sealed record CreateCustomer(
    string Name,
    string? Email = null,
    string? Phone = null,
    string? CompanyName = null,
    string? Industry = null,
    CompanySize? CompanySize = null,
    string? Website = null,
    string? Notes = null,
    CustomerSource Source = CustomerSource.Direct,
    IReadOnlyList<string>? Tags = null) : ICommand<Guid>, ICustomerInput;

public sealed class CreateCustomerValidator : AbstractValidator<CreateCustomer>
{
    public CreateCustomerValidator()
    {
        this.ApplyCustomerInputRules();
        RuleFor(x => x.Tags).Must(t => t is null || t.Count <= CustomerTags.MaxPerCustomer)
            .WithMessage($"A customer can have at most {CustomerTags.MaxPerCustomer} tags.");
        RuleForEach(x => x.Tags).ValidTag();
    }
}

public sealed class CreateCustomerHandler(IRepository<Customer> customers, ITenantContext tenant, ICurrentUser user)
    : IRequestHandler<CreateCustomer, Guid>
{
    public Task<Guid> Handle(CreateCustomer request, CancellationToken cancellationToken)
    {
        var customer = Customer.Create(tenant.TenantId, request.ToDetails(), request.Source, user.UserId);
        if (request.Tags is { Count: > 0 } tags)
            customer.AddTags(tags);
        customers.Add(customer);
        return Task.FromResult(customer.Id);
    }
}
