using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using FluentValidation;

namespace CrmTenancy.Application.Contacts;

/// <summary>
/// A contact as the API takes it: the one definition that create and update derive from, with one set of validation
/// rules and one mapping to the domain's <see cref="ContactDetails"/>.
/// </summary>
public abstract record ContactInput
{
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Title { get; init; }
    public string? Company { get; init; }
    public ContactType Type { get; init; }
    /// <summary>The customer the contact belongs to, if any: an id of the same tenant (another tenant's is not found).</summary>
    public Guid? CustomerId { get; init; }
}

internal static class ContactRules
{
    public static void ApplyContactInputRules<T>(this AbstractValidator<T> validator) where T : ContactInput
    {
        validator.RuleFor(x => x.FirstName).NotEmpty().MaximumLength(Contact.NameMaxLength);
        validator.RuleFor(x => x.LastName).NotEmpty().MaximumLength(Contact.NameMaxLength);
        validator.RuleFor(x => x.Email).MaximumLength(FieldLengths.Email).EmailAddress().When(x => !string.IsNullOrEmpty(x.Email));
        validator.RuleFor(x => x.Phone).MaximumLength(FieldLengths.Phone);
        validator.RuleFor(x => x.Title).MaximumLength(Contact.TitleMaxLength);
        validator.RuleFor(x => x.Company).MaximumLength(Contact.CompanyMaxLength);
        validator.RuleFor(x => x.Type).IsInEnum();
        validator.RuleFor(x => x.CustomerId).NotEqual(Guid.Empty);
    }

    public static ContactDetails ToDetails(this ContactInput input) =>
        new(input.FirstName, input.LastName, input.Email, input.Phone, input.Title, input.Company, input.Type);

    /// <summary>Refuses an email another contact of the tenant already has (the unique index backs this up).</summary>
    public static async Task EnsureEmailFreeAsync(
        this IReadRepository<Contact> contacts, ITenantContext tenant, string? email, Guid? exceptContactId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
            return;
        if (await contacts.AnyAsync(new ContactEmailTakenSpecification(tenant, email, exceptContactId), cancellationToken))
            throw ContactConflicts.EmailTaken.ToException();
    }

    /// <summary>
    /// Links the contact to the requested customer of the same tenant, or unlinks it; a foreign id, or one the caller may
    /// not read, is not found. Linking changes the contact, not the customer: a customer shared with the tenant may be
    /// linked to by a member who only reads it, and a contact already linked to it stays so.
    /// </summary>
    public static async Task LinkAsync(
        this Contact contact, Guid? customerId, IRepository<Customer> customers, ITenantContext tenant, CancellationToken cancellationToken)
    {
        if (customerId is not { } id)
        {
            contact.Unlink();
            return;
        }
        if (contact.CustomerId == id)
            return;
        contact.LinkTo(await customers.FirstOrDefaultAsync(new ReadByIdSpecification<Customer>(tenant, id), cancellationToken)
                       ?? throw new NotFoundException(nameof(Customer), id));
    }
}
