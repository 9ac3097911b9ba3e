using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using FluentValidation;

namespace CrmTenancy.Application.Platform;

/// <summary>Paging and search input shared by the platform lists.</summary>
public interface IPlatformPage : IPagedQuery
{
    string? Search { get; }
}

internal static class PlatformRules
{
    public static void ApplyPageRules<T>(this AbstractValidator<T> validator) where T : IPlatformPage
    {
        validator.ApplyPagingRules();
        validator.RuleFor(x => x.Search).MaximumLength(TextSearch.MaxTermLength);
    }
}
