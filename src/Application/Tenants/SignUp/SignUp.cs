using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Tenants.SignUp;

public sealed record SignedUp(Guid TenantId, string Slug, Guid UserId, string Email);

/// <summary>
/// A new organisation: the tenant and its first user, a TenantAdmin, in one transaction. The web host resolves
/// the scope's tenant to <see cref="TenantId"/> (a fresh id) first, so row-level security admits the new rows.
/// </summary>
public sealed record SignUp(Guid TenantId, string OrganisationName, string Slug, string Email, string DisplayName, string Password)
    : ICommand<SignedUp>;

public sealed class SignUpValidator : AbstractValidator<SignUp>
{
    public SignUpValidator()
    {
        RuleFor(x => x.OrganisationName).NotEmpty().MaximumLength(Tenant.NameMaxLength);
        RuleFor(x => x.Slug).NotEmpty().MaximumLength(Slug.MaxLength).Must(Slug.IsValid).WithMessage(Slug.Rule);
        RuleFor(x => x.Email).NotEmpty().MaximumLength(FieldLengths.Email).EmailAddress();
        RuleFor(x => x.DisplayName).NotEmpty().MaximumLength(Account.DisplayNameMaxLength);
        RuleFor(x => x.Password).NotEmpty().MaximumLength(Account.PasswordMaxLength);
    }
}

public sealed class SignUpHandler(IRepository<Tenant> tenants, IUserAccounts accounts, ITenantContext tenant) : IRequestHandler<SignUp, SignedUp>
{
    public async Task<SignedUp> Handle(SignUp request, CancellationToken cancellationToken)
    {
        if (request.TenantId != tenant.TenantId)
            throw new ForbiddenException("A sign-up creates the tenant its scope was opened for.");
        var created = Tenant.Create(request.OrganisationName, request.Slug, request.TenantId);
        tenants.Add(created);
        var admin = User.Create(created.Id, request.Email, request.DisplayName, UserRole.TenantAdmin);
        await accounts.CreateAsync(admin, request.Password, cancellationToken);
        return new SignedUp(created.Id, created.Slug, admin.Id, admin.Email);
    }
}
