using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Campaigns.LaunchCampaign;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Campaigns.CampaignTargets;

/// <summary>
/// A page of a campaign's targets with their state; 404 when the caller may not see the campaign. Targets name people
/// and their phones and emails: under owner-only visibility a member reads them for the campaigns they own, not for one
/// merely shared with the team (403), since its targets may be people the member may not see.
/// </summary>
public sealed record ListCampaignTargets(Guid CampaignId, CampaignTargetState? State = null, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<CampaignTargetDto>>, IPagedQuery;

public sealed class ListCampaignTargetsValidator : AbstractValidator<ListCampaignTargets>
{
    public ListCampaignTargetsValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.State).IsInEnum().OverridePropertyName("state");
    }
}

public sealed class ListCampaignTargetsHandler(IReadRepository<Campaign> campaigns, IReadRepository<CampaignTarget> targets, ITenantContext tenant)
    : IRequestHandler<ListCampaignTargets, PagedResult<CampaignTargetDto>>
{
    public async Task<PagedResult<CampaignTargetDto>> Handle(ListCampaignTargets request, CancellationToken cancellationToken)
    {
        if (!await campaigns.AnyAsync(new ReadByIdSpecification<Campaign>(tenant, request.CampaignId), cancellationToken))
            throw new NotFoundException(nameof(Campaign), request.CampaignId);
        if (tenant.OwnerScope is not null && !await campaigns.AnyAsync(new ByIdSpecification<Campaign>(tenant, request.CampaignId), cancellationToken))
            throw new ForbiddenException("The targets of a campaign shared with the team are read by its owner and the administrators.");
        return await targets.ProjectPageAsync<CampaignTarget, CampaignTargetDto>(
            new CampaignTargetListSpecification(tenant, request.CampaignId, request.State, request.Page, request.PageSize), cancellationToken);
    }
}

/// <summary>
/// Adds contacts and leads of the tenant to a campaign that is not over, by id. Every id must be a contact or lead the
/// caller may see (another tenant's is a 404 like a missing one, and nothing is added), reachable on the campaign's
/// channel; people the campaign already targets are not added twice (the campaign's <c>targetCount</c> counts them).
/// </summary>
public sealed record AddCampaignTargets(Guid CampaignId, IReadOnlyList<Guid> ContactIds, IReadOnlyList<Guid> LeadIds, int? ExpectedVersion = null)
    : ICommand<Unit>, IConditionalCommand;

public sealed class AddCampaignTargetsValidator : AbstractValidator<AddCampaignTargets>
{
    public const int MaxIds = 1000;

    public AddCampaignTargetsValidator()
    {
        RuleFor(x => x.ContactIds).NotNull();
        RuleFor(x => x.LeadIds).NotNull();
        RuleFor(x => x).Must(x => (x.ContactIds?.Count ?? 0) + (x.LeadIds?.Count ?? 0) is > 0 and <= MaxIds)
            .OverridePropertyName("contactIds").WithMessage($"Between 1 and {MaxIds} contact and lead ids together.");
        RuleForEach(x => x.ContactIds).NotEqual(Guid.Empty);
        RuleForEach(x => x.LeadIds).NotEqual(Guid.Empty);
    }
}

public sealed class AddCampaignTargetsHandler(
    IRepository<Campaign> campaigns, IRepository<CampaignTarget> targets, IReadRepository<Contact> contacts, IReadRepository<Lead> leads,
    ITenantContext tenant) : IRequestHandler<AddCampaignTargets, Unit>
{
    public async Task<Unit> Handle(AddCampaignTargets request, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.LoadForChangeAsync(tenant, request.CampaignId, request.ExpectedVersion, cancellationToken);
        campaign.EnsureTakesTargets();
        var contactPeople = await FindAllAsync(request.ContactIds, nameof(Contact),
            () => contacts.ProjectListAsync<ReachablePerson>(new PeopleByIdSpecification<Contact>(tenant, request.ContactIds), cancellationToken));
        var leadPeople = await FindAllAsync(request.LeadIds, nameof(Lead),
            () => leads.ProjectListAsync<ReachablePerson>(new PeopleByIdSpecification<Lead>(tenant, request.LeadIds), cancellationToken));
        var unreachable = contactPeople.Concat(leadPeople).Select(CampaignTargeting.ToAudience).FirstOrDefault(p => !AudienceSelection.Reachable(p, campaign.Channel));
        if (unreachable is not null)
            throw new DomainRuleException("campaign-target-unreachable",
                $"{unreachable.Name} has no {(campaign.Channel == CampaignChannel.Voice ? "phone number" : "email address")} for this {campaign.Channel} campaign.");

        campaign.TargetsChanged(await CampaignTargeting.AddNewAsync(campaign, contactPeople, leadPeople, targets, tenant, cancellationToken), 0);
        return Unit.Value;
    }

    /// <summary>Everyone of <paramref name="ids"/>, or a 404 for the first id that is not found (missing, foreign or not visible).</summary>
    private static async Task<List<ReachablePerson>> FindAllAsync(IReadOnlyList<Guid> ids, string resource, Func<Task<List<ReachablePerson>>> find)
    {
        if (ids.Count == 0)
            return [];
        var found = await find();
        var missing = ids.Except(found.Select(p => p.Id)).FirstOrDefault();
        if (missing != Guid.Empty)
            throw new NotFoundException(resource, missing);
        return found;
    }
}

/// <summary>Contacts or leads of the tenant (that the caller may see) by id.</summary>
public sealed class PeopleByIdSpecification<T> : TenantSpecification<T> where T : AggregateRoot, ITenantOwned
{
    public PeopleByIdSpecification(ITenantContext tenant, IReadOnlyCollection<Guid> ids) : base(tenant)
    {
        var wanted = ids.ToArray();
        Query.Where(p => wanted.Contains(p.Id)).AsNoTracking();
    }
}

/// <summary>Removes one target from a campaign that is not over; another campaign's or tenant's target is a 404.</summary>
public sealed record RemoveCampaignTarget(Guid CampaignId, Guid TargetId, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class RemoveCampaignTargetHandler(IRepository<Campaign> campaigns, IRepository<CampaignTarget> targets, ITenantContext tenant)
    : IRequestHandler<RemoveCampaignTarget, Unit>
{
    public async Task<Unit> Handle(RemoveCampaignTarget request, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.LoadForChangeAsync(tenant, request.CampaignId, request.ExpectedVersion, cancellationToken);
        campaign.EnsureTakesTargets();
        var target = await targets.FirstOrDefaultAsync(new CampaignTargetsByIdSpecification(tenant, campaign.Id, [request.TargetId]), cancellationToken)
                     ?? throw new NotFoundException(nameof(CampaignTarget), request.TargetId);
        targets.Remove(target);
        campaign.TargetsChanged(0, 1);
        return Unit.Value;
    }
}
