using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Conversations;
using MediatR;

namespace CrmTenancy.Application.Conversations.GetConversation;

public sealed record GetConversation(Guid Id) : IGetById<Conversation, ConversationDto>;

public sealed class GetConversationHandler(IReadRepository<Conversation> conversations, ITenantContext tenant) : IRequestHandler<GetConversation, ConversationDto>
{
    public Task<ConversationDto> Handle(GetConversation request, CancellationToken cancellationToken) =>
        conversations.GetDtoAsync<Conversation, ConversationDto>(tenant, request.Id, cancellationToken);
}
