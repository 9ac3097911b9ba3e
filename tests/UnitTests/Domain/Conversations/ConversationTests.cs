using CrmTenancy.Application.Conversations.SearchConversations;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Conversations;
using CrmTenancy.UnitTests.Support;

namespace CrmTenancy.UnitTests.Domain.Conversations;

public sealed class ConversationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static MessageDraft Draft(string text, int minute = 0) => new("agent", MessageDirection.Outbound, text, Now.AddMinutes(minute));

    [Fact]
    public void A_conversation_needs_a_contact_or_a_lead()
    {
        var error = Assert.Throws<DomainRuleException>(() => Conversation.Start(TestData.TenantA, ConversationChannel.Chat, null, null, null, null, null));
        Assert.Equal("conversation-party", error.Rule);
    }

    [Fact]
    public void Messages_are_numbered_on_from_the_last_and_the_latest_time_is_kept()
    {
        var conversation = Conversation.Start(TestData.TenantA, ConversationChannel.Voice, Guid.NewGuid(), null, null, "Renewal", TestData.UserId);
        conversation.Append([Draft("one", 5), Draft("two", 1)]);
        var more = conversation.Append([Draft("three", 3)]);

        Assert.Equal(3, more.Single().Sequence);
        Assert.Equal((3, Now.AddMinutes(5)), (conversation.MessageCount, conversation.LastMessageAt));
        Assert.All(more, m => Assert.Equal((TestData.TenantA, conversation.Id), (m.TenantId, m.ConversationId)));
        Assert.Equal([1, 2], conversation.DomainEvents.OfType<MessagesAppended>().Select(e => e.Count).Order());
    }

    [Fact]
    public void A_batch_is_one_to_five_thousand_messages_and_an_empty_text_fails_the_whole_batch()
    {
        var conversation = Conversation.Start(TestData.TenantA, ConversationChannel.Voice, null, Guid.NewGuid(), null, null, null);
        Assert.Equal("conversation-messages-count", Assert.Throws<DomainRuleException>(() => conversation.Append([])).Rule);
        Assert.Equal("conversation-messages-count",
            Assert.Throws<DomainRuleException>(() => conversation.Append([.. Enumerable.Range(0, 5001).Select(i => Draft($"m{i}"))])).Rule);
        Assert.Throws<DomainRuleException>(() => conversation.Append([Draft("fine"), Draft(" ")]));
        Assert.Equal(0, conversation.MessageCount);
    }

    [Theory]
    [InlineData("short text with the word", "word", "short text with the word")]
    [InlineData("PLATINUM first", "platinum", "PLATINUM first")]
    public void An_excerpt_keeps_a_short_text_whole(string text, string term, string expected) =>
        Assert.Equal(expected, SearchConversationsHandler.Excerpt(text, term));

    [Fact]
    public void An_excerpt_cuts_a_long_text_around_the_match()
    {
        var text = new string('a', 200) + " marmalade " + new string('b', 200);
        var excerpt = SearchConversationsHandler.Excerpt(text, "Marmalade");

        Assert.StartsWith("…", excerpt, StringComparison.Ordinal);
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
        Assert.Contains("marmalade", excerpt, StringComparison.Ordinal);
        Assert.True(excerpt.Length < 140, excerpt);
    }
}
