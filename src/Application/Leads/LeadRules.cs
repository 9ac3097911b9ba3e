using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using FluentValidation;

namespace CrmTenancy.Application.Leads;

/// <summary>
/// A lead's descriptive fields as the API takes them: the one definition create and update derive from, with one set
/// of validation rules and one mapping to the domain's <see cref="LeadDetails"/>.
/// </summary>
public abstract record LeadInput : Common.Messaging.ICompanyReference
{
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? CompanyName { get; init; }
    public string? Interest { get; init; }
    public VolumeTier? VolumeTier { get; init; }
    public string? Notes { get; init; }
    public LeadSource Source { get; init; } = LeadSource.Manual;
    /// <summary>The tenant's company (business unit) the lead belongs to; another tenant's is a 404.</summary>
    public Guid? CompanyId { get; init; }
}

internal static class LeadRules
{
    public static void ApplyLeadInputRules<T>(this AbstractValidator<T> validator) where T : LeadInput
    {
        validator.RuleFor(x => x.FirstName).NotEmpty().MaximumLength(Lead.NameMaxLength);
        validator.RuleFor(x => x.LastName).NotEmpty().MaximumLength(Lead.NameMaxLength);
        validator.RuleFor(x => x.Email).MaximumLength(FieldLengths.Email).EmailAddress().When(x => !string.IsNullOrEmpty(x.Email));
        validator.RuleFor(x => x.Phone).MaximumLength(FieldLengths.Phone);
        validator.RuleFor(x => x.CompanyName).MaximumLength(Lead.CompanyMaxLength);
        validator.RuleFor(x => x.Interest).MaximumLength(Lead.InterestMaxLength);
        validator.RuleFor(x => x.VolumeTier).IsInEnum();
        validator.RuleFor(x => x.Notes).MaximumLength(FieldLengths.Notes);
        validator.RuleFor(x => x.Source).IsInEnum();
        validator.RuleFor(x => x.CompanyId).NotEqual(Guid.Empty);
    }

    /// <summary>The tags a new or captured lead starts with: at most as many as a lead holds, each a valid tag.</summary>
    public static void ApplyStartingTagRules<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IReadOnlyList<string>?>> tags)
    {
        validator.RuleFor(tags).Must(t => t is null || t.Count <= CustomerTags.MaxPerCustomer)
            .WithMessage($"A lead can have at most {CustomerTags.MaxPerCustomer} tags.");
        validator.RuleForEach(System.Linq.Expressions.Expression.Lambda<Func<T, IEnumerable<string>>>(tags.Body, tags.Parameters)).ValidTag();
    }

    public static LeadDetails ToDetails(this LeadInput input) =>
        new(input.FirstName, input.LastName, input.Email, input.Phone, input.CompanyName, input.Interest, input.VolumeTier, input.Notes, input.CompanyId);
}
