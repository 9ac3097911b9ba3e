using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using FluentValidation;

namespace CrmTenancy.Application.Platform;

/// <summary>Paging and search input shared by the platform lists.</summary>
public interface IPlatformPage
{
    string? Search { get; }
    int Page { get; }
    int PageSize { get; }
}

internal static class PlatformRules
{
    public static void ApplyPageRules<T>(this AbstractValidator<T> validator) where T : IPlatformPage
    {
        validator.RuleFor(x => x.Page).InclusiveBetween(1, Paging.MaxPage);
        validator.RuleFor(x => x.PageSize).InclusiveBetween(1, Paging.MaxPageSize);
        validator.RuleFor(x => x.Search).MaximumLength(TextSearch.MaxTermLength);
    }
}
