using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Domain.Campaigns;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Campaigns.ListCampaigns;

public sealed record ListCampaigns(CampaignFilter Filter, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<CampaignDto>>, IPagedQuery;

public sealed class ListCampaignsValidator : AbstractValidator<ListCampaigns>
{
    public ListCampaignsValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.Filter.Status).IsInEnum().OverridePropertyName("status");
        RuleFor(x => x.Filter.Channel).IsInEnum().OverridePropertyName("channel");
    }
}

public sealed class ListCampaignsHandler(IReadRepository<Campaign> campaigns, ITenantContext tenant)
    : IRequestHandler<ListCampaigns, PagedResult<CampaignDto>>
{
    public Task<PagedResult<CampaignDto>> Handle(ListCampaigns request, CancellationToken cancellationToken) =>
        campaigns.ProjectPageAsync<Campaign, CampaignDto>(
            new CampaignListSpecification(tenant, request.Filter, request.Page, request.PageSize), cancellationToken);
}
