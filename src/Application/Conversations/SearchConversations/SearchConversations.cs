using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Conversations;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Conversations.SearchConversations;

/// <summary>
/// The caller's conversations whose messages contain <see cref="Term"/> (case ignored), the latest match first, each with
/// up to three excerpts around its matches. The messages are found through their trigram index, within the tenant; the
/// conversations are then read through the caller's record visibility, so no excerpt of a conversation the caller may
/// not see (another tenant's, or a member's hidden one) is ever returned.
/// </summary>
public sealed record SearchConversations(string Term, int Limit = SearchConversations.DefaultLimit) : IQuery<ConversationSearchResult>
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
    /// <summary>How many matching messages, the latest first, the search looks at.</summary>
    public const int MaxMatches = 500;
    public const int ExcerptsPerConversation = 3;
}

public sealed record ConversationSearchResult(IReadOnlyList<ConversationMatch> Items, bool HasMore);

public sealed record ConversationMatch(ConversationDto Conversation, IReadOnlyList<MessageExcerpt> Excerpts);

public sealed record MessageExcerpt(Guid MessageId, int Sequence, string Text);

public sealed class SearchConversationsValidator : AbstractValidator<SearchConversations>
{
    public SearchConversationsValidator()
    {
        RuleFor(x => (x.Term ?? "").Trim()).NotEmpty().MinimumLength(3).MaximumLength(TextSearch.MaxTermLength).OverridePropertyName("search");
        RuleFor(x => x.Limit).InclusiveBetween(1, SearchConversations.MaxLimit);
    }
}

/// <summary>
/// Messages of the tenant whose text contains the pattern, the latest first; for an owner-only member, of the
/// conversations they may see only (<paramref name="within"/>), so other people's messages never crowd theirs out.
/// </summary>
public sealed class MatchingMessagesSpecification : TenantSpecification<ConversationMessage>
{
    public MatchingMessagesSpecification(ITenantContext tenant, string pattern, IReadOnlyCollection<Guid>? within) : base(tenant)
    {
        Query.Where(m => TextSearch.MatchesLowerCase(m.SearchText, pattern));
        if (within is not null)
        {
            var ids = within.ToArray();
            Query.Where(m => ids.Contains(m.ConversationId));
        }
        Query.OrderByDescending(m => m.SentAt).ThenByDescending(m => m.Id).Take(SearchConversations.MaxMatches).AsNoTracking();
    }
}

/// <summary>The ids of every conversation the caller may see (an owner-only member's own and the shared ones).</summary>
public sealed class VisibleConversationsSpecification : TenantSpecification<Conversation>
{
    public VisibleConversationsSpecification(ITenantContext tenant) : base(tenant) => Query.AsNoTracking();
}

public sealed class ConversationKey : IProjection<Conversation, ConversationKey>
{
    public Guid Id { get; init; }

    static IQueryable<ConversationKey> IProjection<Conversation, ConversationKey>.ProjectFrom(IQueryable<Conversation> source) =>
        source.Select(c => new ConversationKey { Id = c.Id });
}

/// <summary>The caller's conversations among the given ids.</summary>
public sealed class ConversationsByIdSpecification : TenantSpecification<Conversation>
{
    public ConversationsByIdSpecification(ITenantContext tenant, IReadOnlyCollection<Guid> ids) : base(tenant)
    {
        var wanted = ids.ToArray();
        Query.Where(c => wanted.Contains(c.Id)).AsNoTracking();
    }
}

public sealed class MessageHit : IProjection<ConversationMessage, MessageHit>
{
    public Guid Id { get; init; }
    public Guid ConversationId { get; init; }
    public int Sequence { get; init; }
    public string Text { get; init; } = "";

    static IQueryable<MessageHit> IProjection<ConversationMessage, MessageHit>.ProjectFrom(IQueryable<ConversationMessage> source) =>
        source.Select(m => new MessageHit { Id = m.Id, ConversationId = m.ConversationId, Sequence = m.Sequence, Text = m.Text });
}

public sealed class SearchConversationsHandler(IReadRepository<ConversationMessage> messages, IReadRepository<Conversation> conversations, ITenantContext tenant)
    : IRequestHandler<SearchConversations, ConversationSearchResult>
{
    private const int ExcerptRadius = 60;

    public async Task<ConversationSearchResult> Handle(SearchConversations request, CancellationToken cancellationToken)
    {
        var term = request.Term.Trim();
        List<Guid>? within = null;
        if (tenant.OwnerScope is not null)
            within = [.. (await conversations.ProjectListAsync<ConversationKey>(new VisibleConversationsSpecification(tenant), cancellationToken)).Select(c => c.Id)];
        var hits = await messages.ProjectListAsync<MessageHit>(new MatchingMessagesSpecification(tenant, TextSearch.Pattern(term), within), cancellationToken);
        var order = hits.Select(h => h.ConversationId).Distinct().ToList();
        if (order.Count == 0)
            return new ConversationSearchResult([], false);
        var visible = (await conversations.ProjectListAsync<ConversationDto>(new ConversationsByIdSpecification(tenant, order), cancellationToken))
            .ToDictionary(c => c.Id);
        var matches = order.Where(visible.ContainsKey)
            .Select(id => new ConversationMatch(visible[id], [.. hits.Where(h => h.ConversationId == id).Take(SearchConversations.ExcerptsPerConversation)
                .Select(h => new MessageExcerpt(h.Id, h.Sequence, Excerpt(h.Text, term)))]))
            .ToList();
        // More to find: conversations past the limit, or matches past the ones looked at (all of them the caller's).
        return new ConversationSearchResult([.. matches.Take(request.Limit)], matches.Count > request.Limit || hits.Count == SearchConversations.MaxMatches);
    }

    /// <summary>The words around the first match, cut at about <see cref="ExcerptRadius"/> characters each side.</summary>
    public static string Excerpt(string text, string term)
    {
        var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return text.Length <= 2 * ExcerptRadius ? text : text[..(2 * ExcerptRadius)] + "…";
        var start = Math.Max(0, at - ExcerptRadius);
        var end = Math.Min(text.Length, at + term.Length + ExcerptRadius);
        return (start > 0 ? "…" : "") + text[start..end] + (end < text.Length ? "…" : "");
    }
}
