using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Conversations;

public enum ConversationChannel
{
    Voice,
    Email,
    Sms,
    Chat,
}

public enum MessageDirection
{
    Inbound,
    Outbound,
}

public enum Sentiment
{
    Positive,
    Neutral,
    Negative,
}

public sealed record ConversationStarted(Guid TenantId, Guid ConversationId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Created, $"{title} started");
}

/// <summary><paramref name="Count"/> messages were added to the conversation (one, or a transcript's import).</summary>
public sealed record MessagesAppended(Guid TenantId, Guid ConversationId, int Count) : IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Updated, Count == 1 ? $"{title}: a message added" : $"{title}: {Count} messages added", ["messages"]);
}

/// <summary>
/// A conversation over one channel with a contact or a lead of the tenant (or both, for one person known as both),
/// optionally the transcript of a call: an ordered list of messages that are written once and never changed. It knows
/// the person it concerns, so a privacy export or erasure finds it. Owned by the user who started it.
/// </summary>
public sealed class Conversation : AggregateRoot, IOwnedRecord, IActivitySubject
{
    public const int SubjectMaxLength = FieldLengths.Name;
    public const int MaxMessagesAtOnce = 5000;

    private Conversation() { }

    public Guid TenantId { get; private set; }
    public ConversationChannel Channel { get; private set; }
    public Guid? ContactId { get; private set; }
    public Guid? LeadId { get; private set; }
    public Guid? CallId { get; private set; }
    public string? Subject { get; private set; }
    public int MessageCount { get; private set; }
    public DateTimeOffset? LastMessageAt { get; private set; }
    public Guid? OwnerId { get; private set; }
    public Guid? AssigneeId { get; private set; }
    public bool Shared { get; private set; }

    string IActivitySubject.ActivityTitle => $"{Channel} conversation";

    public static Conversation Start(Guid tenantId, ConversationChannel channel, Guid? contactId, Guid? leadId, Guid? callId, string? subject, Guid? ownerId)
    {
        if (contactId is null && leadId is null)
            throw new DomainRuleException("conversation-party", "A conversation is with a contact or a lead.");
        var conversation = new Conversation
        {
            TenantId = Guard.Tenant(tenantId),
            Channel = channel,
            ContactId = contactId,
            LeadId = leadId,
            CallId = callId,
            Subject = Guard.Optional(subject, SubjectMaxLength, "subject"),
            OwnerId = ownerId,
            AssigneeId = ownerId,
        };
        conversation.Raise(new ConversationStarted(conversation.TenantId, conversation.Id));
        return conversation;
    }

    /// <summary>
    /// The next messages, numbered on from the last one; all of them or none (a transcript import fails as a whole).
    /// </summary>
    public List<ConversationMessage> Append(IReadOnlyList<MessageDraft> drafts)
    {
        if (drafts.Count == 0 || drafts.Count > MaxMessagesAtOnce)
            throw new DomainRuleException("conversation-messages-count", $"Between 1 and {MaxMessagesAtOnce} messages at once.");
        var messages = new List<ConversationMessage>(drafts.Count);
        var next = MessageCount;
        foreach (var draft in drafts)
            messages.Add(ConversationMessage.Write(this, ++next, draft));
        MessageCount = next;
        var last = messages.Max(m => m.SentAt);
        if (LastMessageAt is null || last > LastMessageAt)
            LastMessageAt = last;
        Raise(new MessagesAppended(TenantId, Id, messages.Count));
        return messages;
    }
}

/// <summary>A message as it is written: who spoke or which way it went, what was said, when, and how it sounded.</summary>
public sealed record MessageDraft(string Speaker, MessageDirection Direction, string Text, DateTimeOffset SentAt, Sentiment? Sentiment = null);

/// <summary>One message of a conversation, numbered in order; written once, never changed (the database refuses updates).</summary>
public sealed class ConversationMessage : ITenantOwned
{
    public const int SpeakerMaxLength = 100;
    public const int TextMaxLength = 10_000;

    private ConversationMessage() { Speaker = null!; Text = null!; }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid ConversationId { get; private set; }
    public int Sequence { get; private set; }
    public string Speaker { get; private set; }
    public MessageDirection Direction { get; private set; }
    public string Text { get; private set; }
    /// <summary>What a search looks in: the text in lower case (kept by the database).</summary>
    public string SearchText { get; private set; } = "";
    public DateTimeOffset SentAt { get; private set; }
    public Sentiment? Sentiment { get; private set; }

    internal static ConversationMessage Write(Conversation conversation, int sequence, MessageDraft draft) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = conversation.TenantId,
        ConversationId = conversation.Id,
        Sequence = sequence,
        Speaker = Guard.Required(draft.Speaker, SpeakerMaxLength, "speaker"),
        Direction = draft.Direction,
        Text = Guard.Required(draft.Text, TextMaxLength, "text"),
        SentAt = draft.SentAt,
        Sentiment = draft.Sentiment,
    };
}
