using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Customers.TagCustomer;

public sealed record AddCustomerTags(Guid Id, IReadOnlyList<string> Tags, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed record RemoveCustomerTag(Guid Id, string Tag, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class AddCustomerTagsValidator : AbstractValidator<AddCustomerTags>
{
    public AddCustomerTagsValidator()
    {
        RuleFor(x => x.Tags).NotEmpty().Must(t => t is null || t.Count <= CustomerTags.MaxPerCustomer)
            .WithMessage($"At most {CustomerTags.MaxPerCustomer} tags at once.");
        RuleForEach(x => x.Tags).ValidTag();
    }
}

public sealed class RemoveCustomerTagValidator : AbstractValidator<RemoveCustomerTag>
{
    public RemoveCustomerTagValidator() => RuleFor(x => x.Tag).ValidTag();
}

public sealed class TagCustomerHandler(IRepository<Customer> customers, ITenantContext tenant)
    : IRequestHandler<AddCustomerTags, Unit>, IRequestHandler<RemoveCustomerTag, Unit>
{
    public async Task<Unit> Handle(AddCustomerTags request, CancellationToken cancellationToken)
    {
        var customer = await customers.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        customer.AddTags(request.Tags);
        return Unit.Value;
    }

    public async Task<Unit> Handle(RemoveCustomerTag request, CancellationToken cancellationToken)
    {
        var customer = await customers.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        customer.RemoveTag(request.Tag);
        return Unit.Value;
    }
}
