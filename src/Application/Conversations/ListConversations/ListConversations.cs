using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Conversations;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Conversations.ListConversations;

public sealed record ConversationFilter(Guid? ContactId = null, Guid? LeadId = null, Guid? CallId = null, ConversationChannel? Channel = null);

public sealed record ListConversations(ConversationFilter Filter, int Page = 1, int PageSize = Paging.DefaultPageSize)
    : IQuery<PagedResult<ConversationDto>>, IPagedQuery;

public sealed class ListConversationsValidator : AbstractValidator<ListConversations>
{
    public ListConversationsValidator()
    {
        this.ApplyPagingRules();
        RuleFor(x => x.Filter.Channel).IsInEnum().OverridePropertyName("channel");
    }
}

/// <summary>The conversation list: filters, the newest first (ties broken by id), a page.</summary>
public sealed class ConversationListSpecification : TenantSpecification<Conversation>
{
    public ConversationListSpecification(ITenantContext tenant, ConversationFilter filter, int page, int pageSize) : base(tenant)
    {
        if (filter.ContactId is { } contact)
            Query.Where(c => c.ContactId == contact);
        if (filter.LeadId is { } lead)
            Query.Where(c => c.LeadId == lead);
        if (filter.CallId is { } call)
            Query.Where(c => c.CallId == call);
        if (filter.Channel is { } channel)
            Query.Where(c => c.Channel == channel);
        Query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Page(page, pageSize).AsNoTracking();
    }
}

public sealed class ListConversationsHandler(IReadRepository<Conversation> conversations, ITenantContext tenant)
    : IRequestHandler<ListConversations, PagedResult<ConversationDto>>
{
    public Task<PagedResult<ConversationDto>> Handle(ListConversations request, CancellationToken cancellationToken) =>
        conversations.ProjectPageAsync<Conversation, ConversationDto>(
            new ConversationListSpecification(tenant, request.Filter, request.Page, request.PageSize), cancellationToken);
}
