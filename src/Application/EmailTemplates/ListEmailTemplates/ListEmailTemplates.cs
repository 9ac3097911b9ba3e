using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.EmailTemplates;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.EmailTemplates.ListEmailTemplates;

public sealed record ListEmailTemplates(string? Search = null, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<EmailTemplateSummary>>, IPagedQuery;

public sealed class ListEmailTemplatesValidator : AbstractValidator<ListEmailTemplates>
{
    public ListEmailTemplatesValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.Search).MaximumLength(TextSearch.MaxTermLength);
    }
}

/// <summary>The tenant's templates by name (ties by id), optionally those whose name contains a text, one page.</summary>
public sealed class EmailTemplateListSpecification : TenantSpecification<EmailTemplate>, ISearchingSpecification
{
    public bool Searches { get; }

    public EmailTemplateListSpecification(ITenantContext tenant, string? search, int page, int pageSize) : base(tenant)
    {
        Searches = !string.IsNullOrWhiteSpace(search);
        if (Searches)
        {
            var pattern = TextSearch.Pattern(search!);
            Query.Where(t => TextSearch.Matches(t.Name, pattern));
        }
        Query.OrderBy(t => t.Name).ThenBy(t => t.Id).Page(page, pageSize).AsNoTracking();
    }
}

public sealed class ListEmailTemplatesHandler(IReadRepository<EmailTemplate> templates, ITenantContext tenant)
    : IRequestHandler<ListEmailTemplates, PagedResult<EmailTemplateSummary>>
{
    public Task<PagedResult<EmailTemplateSummary>> Handle(ListEmailTemplates request, CancellationToken cancellationToken) =>
        templates.ProjectPageAsync<EmailTemplate, EmailTemplateSummary>(
            new EmailTemplateListSpecification(tenant, request.Search, request.Page, request.PageSize), cancellationToken);
}
