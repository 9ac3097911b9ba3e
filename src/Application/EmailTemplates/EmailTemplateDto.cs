using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.EmailTemplates;
using FluentValidation;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.EmailTemplates;

public sealed class EmailTemplateDto : IProjection<EmailTemplate, EmailTemplateDto>, IVersioned
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Subject { get; init; } = "";
    public string HtmlBody { get; init; } = "";
    public string TextBody { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    /// <summary>The concurrency version; the API sends it as the ETag.</summary>
    public int Version { get; init; }

    static IQueryable<EmailTemplateDto> IProjection<EmailTemplate, EmailTemplateDto>.ProjectFrom(IQueryable<EmailTemplate> source) =>
        EmailTemplateMapper.ProjectToDto(source);
}

/// <summary>A template in a list: without its bodies, which may be long.</summary>
public sealed class EmailTemplateSummary : IProjection<EmailTemplate, EmailTemplateSummary>
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Subject { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public int Version { get; init; }

    static IQueryable<EmailTemplateSummary> IProjection<EmailTemplate, EmailTemplateSummary>.ProjectFrom(IQueryable<EmailTemplate> source) =>
        EmailTemplateMapper.ProjectToSummary(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class EmailTemplateMapper
{
    public static partial IQueryable<EmailTemplateDto> ProjectToDto(IQueryable<EmailTemplate> source);

    public static partial IQueryable<EmailTemplateSummary> ProjectToSummary(IQueryable<EmailTemplate> source);
}

/// <summary>A template's fields as the API takes them, for create and replace.</summary>
public abstract record EmailTemplateInput
{
    public string Name { get; init; } = "";
    public string Subject { get; init; } = "";
    public string HtmlBody { get; init; } = "";
    public string TextBody { get; init; } = "";

    public EmailTemplateContent ToContent() => new(Name, Subject, HtmlBody, TextBody);
}

internal static class EmailTemplateRules
{
    /// <summary>
    /// Lengths first; then each source must parse as Liquid and name only merge fields (<see cref="MergeFields"/>),
    /// or the 400 names the field, the line and what is wrong there.
    /// </summary>
    public static void ApplyEmailTemplateInputRules<T>(this AbstractValidator<T> validator, ITemplateEngine engine) where T : EmailTemplateInput
    {
        validator.RuleFor(x => x.Name).NotEmpty().MaximumLength(EmailTemplate.NameMaxLength);
        validator.RuleFor(x => x.Subject).NotEmpty().MaximumLength(EmailTemplate.SubjectMaxLength).Liquid(engine);
        validator.RuleFor(x => x.HtmlBody).NotEmpty().MaximumLength(EmailTemplate.HtmlBodyMaxLength).Liquid(engine);
        validator.RuleFor(x => x.TextBody).NotEmpty().MaximumLength(EmailTemplate.TextBodyMaxLength).Liquid(engine);
    }

    private static void Liquid<T>(this IRuleBuilderOptions<T, string> rule, ITemplateEngine engine) =>
        rule.Custom((source, context) =>
        {
            if (engine.Check(source) is { } problem)
                context.AddFailure(context.PropertyPath, $"Line {problem.Line}: {problem.Message}");
        });
}

/// <summary>The email templates module's conflicts; the unique index on the normalised name maps to the first.</summary>
public static class EmailTemplateConflicts
{
    public static readonly Conflict NameTaken = new("email-template-name-taken", "Another email template of this tenant already has this name.");
    public static readonly Conflict InUse = new("email-template-in-use", "An active workflow sends this template; turn it off or change it first.");
}
