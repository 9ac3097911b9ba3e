using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using FluentValidation;

namespace CrmTenancy.Application.Customers;

/// <summary>
/// A customer's descriptive fields as the API takes them: the one definition that create and update derive from, with
/// one set of validation rules and one mapping to the domain's <see cref="CustomerDetails"/>. A field left out of the
/// JSON body keeps the default here (empty), which the validator refuses where it is required.
/// </summary>
public abstract record CustomerInput : Common.Messaging.ICompanyReference
{
    public string Name { get; init; } = "";
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? CompanyName { get; init; }
    public string? Industry { get; init; }
    public CompanySize? CompanySize { get; init; }
    public string? Website { get; init; }
    public string? Notes { get; init; }
    public CustomerSource Source { get; init; } = CustomerSource.Direct;
    /// <summary>The tenant's company (business unit) the customer belongs to; another tenant's is a 404.</summary>
    public Guid? CompanyId { get; init; }
}

internal static class CustomerRules
{
    public static void ApplyCustomerInputRules<T>(this AbstractValidator<T> validator) where T : CustomerInput
    {
        validator.RuleFor(x => x.Name).NotEmpty().MaximumLength(Customer.NameMaxLength);
        validator.RuleFor(x => x.Email).MaximumLength(FieldLengths.Email).EmailAddress().When(x => !string.IsNullOrEmpty(x.Email));
        validator.RuleFor(x => x.Phone).MaximumLength(FieldLengths.Phone);
        validator.RuleFor(x => x.CompanyName).MaximumLength(Customer.CompanyNameMaxLength);
        validator.RuleFor(x => x.Industry).MaximumLength(Customer.IndustryMaxLength);
        validator.RuleFor(x => x.CompanySize).IsInEnum();
        validator.RuleFor(x => x.Website).MaximumLength(FieldLengths.Url).Must(BeHttpUrl)
            .When(x => !string.IsNullOrEmpty(x.Website)).WithMessage("'Website' must be an absolute http or https URL.");
        validator.RuleFor(x => x.Notes).MaximumLength(FieldLengths.Notes);
        validator.RuleFor(x => x.Source).IsInEnum();
        validator.RuleFor(x => x.CompanyId).NotEqual(Guid.Empty);
    }

    public static CustomerDetails ToDetails(this CustomerInput input) =>
        new(input.Name, input.Email, input.Phone, input.CompanyName, input.Industry, input.CompanySize, input.Website, input.Notes, input.CompanyId);

    private static bool BeHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

internal static class TagRules
{
    public static IRuleBuilderOptions<T, string> ValidTag<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(CustomerTags.MaxLength).Must(tag => tag is not null && tag.Any(char.IsLetterOrDigit))
            .WithMessage("A tag must contain at least one letter or digit.");
}
