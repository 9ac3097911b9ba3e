using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Leads.ListLeads;

public sealed record ListLeads(LeadFilter Filter, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<LeadDto>>, IPagedQuery;

public sealed class ListLeadsValidator : AbstractValidator<ListLeads>
{
    public ListLeadsValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.Filter.Search).MaximumLength(TextSearch.MaxTermLength).OverridePropertyName("search");
        RuleFor(x => x.Filter.Tag!).ValidTag().When(x => x.Filter.Tag is not null).OverridePropertyName("tag");
        RuleFor(x => x.Filter.Status).IsInEnum().OverridePropertyName("status");
        RuleFor(x => x.Filter.Source).IsInEnum().OverridePropertyName("source");
        RuleFor(x => x.Filter.VolumeTier).IsInEnum().OverridePropertyName("volumeTier");
        RuleFor(x => x.Filter.Sort).IsInEnum().OverridePropertyName("sort");
        RuleFor(x => x.Filter.Direction).IsInEnum().OverridePropertyName("direction");
    }
}

public sealed class ListLeadsHandler(IReadRepository<Lead> leads, ITenantContext tenant)
    : IRequestHandler<ListLeads, PagedResult<LeadDto>>
{
    public Task<PagedResult<LeadDto>> Handle(ListLeads request, CancellationToken cancellationToken) =>
        leads.ProjectPageAsync<Lead, LeadDto>(
            new LeadListSpecification(tenant, request.Filter, request.Page, request.PageSize), cancellationToken);
}
