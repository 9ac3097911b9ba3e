using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Companies;
using FluentValidation;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Companies;

public sealed class CompanyDto : IProjection<Company, CompanyDto>, IVersioned
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>The concurrency version; the API sends it as the ETag.</summary>
    public int Version { get; init; }

    static IQueryable<CompanyDto> IProjection<Company, CompanyDto>.ProjectFrom(IQueryable<Company> source) => CompanyMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class CompanyMapper
{
    public static partial IQueryable<CompanyDto> ProjectToDto(IQueryable<Company> source);
}

/// <summary>A company's fields as the API takes them, for create and replace.</summary>
public abstract record CompanyInput
{
    public string Name { get; init; } = "";
    public string? Description { get; init; }
}

internal static class CompanyRules
{
    public static void ApplyCompanyInputRules<T>(this AbstractValidator<T> validator) where T : CompanyInput
    {
        validator.RuleFor(x => x.Name).NotEmpty().MaximumLength(Company.NameMaxLength);
        validator.RuleFor(x => x.Description).MaximumLength(Company.DescriptionMaxLength);
    }
}

/// <summary>The companies module's conflicts; the unique index on the normalised name maps to the first.</summary>
public static class CompanyConflicts
{
    public static readonly Conflict NameTaken = new("company-name-taken", "Another company of this tenant already has this name.");
}
