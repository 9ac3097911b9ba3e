using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Domain.Conversations;
using Riok.Mapperly.Abstractions;

namespace CrmTenancy.Application.Conversations;

public sealed class ConversationDto : IProjection<Conversation, ConversationDto>, IVersioned
{
    public Guid Id { get; init; }
    public ConversationChannel Channel { get; init; }
    public Guid? ContactId { get; init; }
    public Guid? LeadId { get; init; }
    public Guid? CallId { get; init; }
    public string? Subject { get; init; }
    public int MessageCount { get; init; }
    public DateTimeOffset? LastMessageAt { get; init; }
    public Guid? OwnerId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public int Version { get; init; }

    static IQueryable<ConversationDto> IProjection<Conversation, ConversationDto>.ProjectFrom(IQueryable<Conversation> source) =>
        ConversationMapper.ProjectToDto(source);
}

public sealed class MessageDto : IProjection<ConversationMessage, MessageDto>
{
    public Guid Id { get; init; }
    public int Sequence { get; init; }
    public string Speaker { get; init; } = "";
    public MessageDirection Direction { get; init; }
    public string Text { get; init; } = "";
    public DateTimeOffset SentAt { get; init; }
    public Sentiment? Sentiment { get; init; }

    static IQueryable<MessageDto> IProjection<ConversationMessage, MessageDto>.ProjectFrom(IQueryable<ConversationMessage> source) =>
        ConversationMapper.ProjectToDto(source);
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class ConversationMapper
{
    public static partial IQueryable<ConversationDto> ProjectToDto(IQueryable<Conversation> source);

    public static partial IQueryable<MessageDto> ProjectToDto(IQueryable<ConversationMessage> source);
}
