using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Customers.CreateCustomer;

public sealed record CreateCustomer : CustomerInput, ICommand<Guid>
{
    /// <summary>Tags to start with, normalised like any other.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

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
