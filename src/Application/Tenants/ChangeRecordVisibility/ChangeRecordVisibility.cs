using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Tenants.ChangeRecordVisibility;

/// <summary>
/// Switches the tenant between shared records and owner-only records; takes effect on the next request. The value is
/// required: left out, it would default to Shared and open every member's records to the others.
/// </summary>
public sealed record ChangeRecordVisibility(RecordVisibility? RecordVisibility, int? ExpectedVersion = null)
    : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class ChangeRecordVisibilityValidator : AbstractValidator<ChangeRecordVisibility>
{
    public ChangeRecordVisibilityValidator() => RuleFor(x => x.RecordVisibility).NotNull().IsInEnum();
}

public sealed class ChangeRecordVisibilityHandler(IRepository<Tenant> tenants, ITenantContext tenant) : IRequestHandler<ChangeRecordVisibility, Unit>
{
    public async Task<Unit> Handle(ChangeRecordVisibility request, CancellationToken cancellationToken)
    {
        var current = await tenants.LoadCurrentForChangeAsync(tenant, request.ExpectedVersion, cancellationToken);
        current.ChangeRecordVisibility(request.RecordVisibility!.Value);
        return Unit.Value;
    }
}
