using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Conversations;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Conversations.ListMessages;

/// <summary>A page of one conversation's messages in order; 404 when the caller may not see the conversation.</summary>
public sealed record ListMessages(Guid ConversationId, int Page = 1, int PageSize = Paging.DefaultPageSize) : IQuery<PagedResult<MessageDto>>, IPagedQuery;

public sealed class ListMessagesValidator : AbstractValidator<ListMessages>
{
    public ListMessagesValidator() => this.ApplyPagingRules();
}

public sealed class ListMessagesHandler(IReadRepository<Conversation> conversations, IReadRepository<ConversationMessage> messages, ITenantContext tenant)
    : IRequestHandler<ListMessages, PagedResult<MessageDto>>
{
    public async Task<PagedResult<MessageDto>> Handle(ListMessages request, CancellationToken cancellationToken)
    {
        if (!await conversations.AnyAsync(new ReadByIdSpecification<Conversation>(tenant, request.ConversationId), cancellationToken))
            throw new NotFoundException(nameof(Conversation), request.ConversationId);
        return await messages.ProjectPageAsync<ConversationMessage, MessageDto>(
            new MessagePageSpecification(tenant, request.ConversationId, request.Page, request.PageSize), cancellationToken);
    }
}
