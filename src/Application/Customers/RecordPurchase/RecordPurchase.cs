using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Customers;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Customers.RecordPurchase;

/// <summary>Adds a purchase to the customer's revenue; <c>On</c> defaults to today (UTC).</summary>
public sealed record RecordPurchase(Guid Id, decimal Amount, DateOnly? On = null, int? ExpectedVersion = null)
    : ICommand<Unit>, IConditionalCommand;

public sealed class RecordPurchaseValidator : AbstractValidator<RecordPurchase>
{
    public const decimal MaxAmount = 1_000_000_000m;

    public RecordPurchaseValidator(TimeProvider clock)
    {
        RuleFor(x => x.Amount).GreaterThan(0).LessThanOrEqualTo(MaxAmount).PrecisionScale(18, 2, ignoreTrailingZeros: true);
        RuleFor(x => x.On).Must(on => on is null || on <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(1)))
            .WithMessage("A purchase cannot be dated in the future.");
    }
}

public sealed class RecordPurchaseHandler(IRepository<Customer> customers, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<RecordPurchase, Unit>
{
    public async Task<Unit> Handle(RecordPurchase request, CancellationToken cancellationToken)
    {
        var customer = await customers.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        customer.RecordPurchase(request.Amount, request.On ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return Unit.Value;
    }
}
