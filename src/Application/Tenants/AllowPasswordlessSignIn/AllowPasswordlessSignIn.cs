using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Tenants.AllowPasswordlessSignIn;

/// <summary>
/// Lets the tenant's people sign in with a one-time code sent by email instead of a password (or stops it); takes
/// effect on the next sign-in. The value is required.
/// </summary>
public sealed record AllowPasswordlessSignIn(bool? Allowed, int? ExpectedVersion = null)
    : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class AllowPasswordlessSignInValidator : AbstractValidator<AllowPasswordlessSignIn>
{
    public AllowPasswordlessSignInValidator() => RuleFor(x => x.Allowed).NotNull();
}

public sealed class AllowPasswordlessSignInHandler(IRepository<Tenant> tenants, ITenantContext tenant) : IRequestHandler<AllowPasswordlessSignIn, Unit>
{
    public async Task<Unit> Handle(AllowPasswordlessSignIn request, CancellationToken cancellationToken)
    {
        var current = await tenants.LoadCurrentForChangeAsync(tenant, request.ExpectedVersion, cancellationToken);
        current.AllowPasswordlessSignIn(request.Allowed!.Value);
        return Unit.Value;
    }
}
