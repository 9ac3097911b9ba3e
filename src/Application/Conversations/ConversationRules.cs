using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Conversations;
using FluentValidation;

namespace CrmTenancy.Application.Conversations;

/// <summary>A message as the API takes it.</summary>
public sealed record MessageInput
{
    public string Speaker { get; init; } = "";
    public MessageDirection Direction { get; init; } = MessageDirection.Inbound;
    public string Text { get; init; } = "";
    public DateTimeOffset? SentAt { get; init; }
    public Sentiment? Sentiment { get; init; }
}

public sealed class MessageInputValidator : AbstractValidator<MessageInput>
{
    public MessageInputValidator()
    {
        RuleFor(x => x.Speaker).NotEmpty().MaximumLength(ConversationMessage.SpeakerMaxLength);
        RuleFor(x => x.Text).NotEmpty().MaximumLength(ConversationMessage.TextMaxLength);
        RuleFor(x => x.Direction).IsInEnum();
        RuleFor(x => x.Sentiment).IsInEnum();
        RuleFor(x => x.SentAt!.Value.Year).InclusiveBetween(2000, 9000).When(x => x.SentAt is not null).OverridePropertyName("sentAt");
    }
}

internal static class ConversationRules
{
    public static List<MessageDraft> ToDrafts(this IEnumerable<MessageInput> messages, DateTimeOffset now) =>
        [.. messages.Select(m => new MessageDraft(m.Speaker, m.Direction, m.Text, m.SentAt?.ToUniversalTime() ?? now, m.Sentiment))];
}

/// <summary>A page of one conversation's messages in order.</summary>
public sealed class MessagePageSpecification : TenantSpecification<ConversationMessage>
{
    public MessagePageSpecification(ITenantContext tenant, Guid conversationId, int page, int pageSize) : base(tenant) =>
        Query.Where(m => m.ConversationId == conversationId).OrderBy(m => m.Sequence).Page(page, pageSize).AsNoTracking();
}
