using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Users;
using FluentValidation;

namespace CrmTenancy.Application.Campaigns;

/// <summary>
/// A campaign's editable fields as the API takes them: the one definition create and update derive from, with one set
/// of validation rules and one mapping to the domain's <see cref="CampaignDetails"/>.
/// </summary>
public abstract record CampaignInput
{
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public CampaignChannel Channel { get; init; } = CampaignChannel.Voice;
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    /// <summary>Who the campaign is for; by default every open lead and every contact that the channel can reach.</summary>
    public CampaignAudience? Audience { get; init; }
}

internal static class CampaignRules
{
    private const int FirstYear = 2000;
    private const int LastYear = 9000;

    public static void ApplyCampaignInputRules<T>(this AbstractValidator<T> validator) where T : CampaignInput
    {
        validator.RuleFor(x => x.Name).NotEmpty().MaximumLength(Campaign.NameMaxLength);
        validator.RuleFor(x => x.Description).MaximumLength(Campaign.DescriptionMaxLength);
        validator.RuleFor(x => x.Channel).IsInEnum();
        validator.RuleFor(x => x.StartsAt!.Value.Year).InclusiveBetween(FirstYear, LastYear).When(x => x.StartsAt is not null).OverridePropertyName("startsAt");
        validator.RuleFor(x => x.EndsAt!.Value.Year).InclusiveBetween(FirstYear, LastYear).When(x => x.EndsAt is not null).OverridePropertyName("endsAt");
        validator.RuleFor(x => x.EndsAt).GreaterThan(x => x.StartsAt).When(x => x.StartsAt is not null && x.EndsAt is not null)
            .WithMessage("A campaign ends after it starts.");
        validator.RuleFor(x => x.Audience!).SetValidator(new CampaignAudienceValidator()).When(x => x.Audience is not null);
    }

    /// <summary>
    /// The audience's owner and assignee are users of the caller's tenant (deactivated ones too: their records stay);
    /// another tenant's user, like an unknown id, is a 404 and nothing is written.
    /// </summary>
    public static async Task EnsureUsersOfTenantAsync(this CampaignInput input, IReadRepository<User> users, ITenantContext tenant, CancellationToken cancellationToken)
    {
        foreach (var id in new[] { input.Audience?.OwnerId, input.Audience?.AssigneeId })
        {
            if (id is { } user && !await users.AnyAsync(new ReadByIdSpecification<User>(tenant, user), cancellationToken))
                throw new NotFoundException(nameof(User), user);
        }
    }

    public static CampaignDetails ToDetails(this CampaignInput input) =>
        new(input.Name, input.Description, input.StartsAt?.ToUniversalTime(), input.EndsAt?.ToUniversalTime(), input.Audience);
}

public sealed class CampaignAudienceValidator : AbstractValidator<CampaignAudience>
{
    public CampaignAudienceValidator()
    {
        RuleFor(x => x.People).IsInEnum();
        RuleFor(x => x.Tags).NotNull().Must(NotTooMany).WithMessage(TooMany);
        RuleForEach(x => x.Tags).ValidTag();
        RuleFor(x => x.LeadStatuses).NotNull().Must(NotTooMany).WithMessage(TooMany);
        RuleForEach(x => x.LeadStatuses).IsInEnum();
        RuleFor(x => x.LeadSources).NotNull().Must(NotTooMany).WithMessage(TooMany);
        RuleForEach(x => x.LeadSources).IsInEnum();
        RuleFor(x => x.ContactTypes).NotNull().Must(NotTooMany).WithMessage(TooMany);
        RuleForEach(x => x.ContactTypes).IsInEnum();
        RuleFor(x => x.CustomerStatuses).NotNull().Must(NotTooMany).WithMessage(TooMany);
        RuleForEach(x => x.CustomerStatuses).IsInEnum();
        RuleFor(x => x.CustomerSources).NotNull().Must(NotTooMany).WithMessage(TooMany);
        RuleForEach(x => x.CustomerSources).IsInEnum();
        RuleFor(x => x.OwnerId).NotEqual(Guid.Empty);
        RuleFor(x => x.AssigneeId).NotEqual(Guid.Empty);
    }

    private static readonly string TooMany = $"At most {CampaignAudience.MaxValues} values.";

    private static bool NotTooMany<TValue>(IReadOnlyList<TValue>? values) => values is null || values.Count <= CampaignAudience.MaxValues;
}
