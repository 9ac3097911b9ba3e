using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Conversations;
using CrmTenancy.Application.Conversations.AppendMessages;
using CrmTenancy.Application.Conversations.GetConversation;
using CrmTenancy.Application.Conversations.ListConversations;
using CrmTenancy.Application.Conversations.ListMessages;
using CrmTenancy.Application.Conversations.SearchConversations;
using CrmTenancy.Application.Conversations.StartConversation;
using CrmTenancy.Domain.Conversations;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace CrmTenancy.WebApi.Endpoints;

public sealed class Conversations : IEndpointGroup
{
    public const long TranscriptBodyBytes = 8 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/conversations").WithTags("Conversations");
        var read = group.MapGroup("").RequireAuthorization(Policies.Read);
        var write = group.MapGroup("").RequireAuthorization(Policies.Write);

        read.MapGet("", List).WithName("ListConversations");
        read.MapGet("search", Search).WithName("SearchConversations");
        read.MapGet("{id:guid}", Get).WithName("GetConversation");
        read.MapGet("{id:guid}/messages", (Guid id, IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = Paging.DefaultPageSize) =>
            mediator.Send(new ListMessages(id, page, pageSize), cancellationToken)).WithName("ListConversationMessages");
        read.MapTimeline<Conversation>();
        // A transcript of 5,000 messages is larger than the house's 256 KB body: these two take up to 8 MB.
        write.MapPost("", Start).WithName("StartConversation").WithMetadata(new RequestSizeLimitAttribute(TranscriptBodyBytes));
        write.MapPost("{id:guid}/messages", Append).WithName("AppendConversationMessages").WithMetadata(new RequestSizeLimitAttribute(TranscriptBodyBytes));
    }

    public static Task<PagedResult<ConversationDto>> List(
        IMediator mediator, CancellationToken cancellationToken,
        Guid? contactId = null, Guid? leadId = null, Guid? callId = null, string? channel = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListConversations(
            new ConversationFilter(contactId, leadId, callId, QueryEnum.Parse<ConversationChannel>(channel, nameof(channel))), page, pageSize), cancellationToken);

    /// <summary>Conversations whose messages contain <paramref name="search"/> (3 to 100 characters); without one, none.</summary>
    public static Task<ConversationSearchResult> Search(IMediator mediator, CancellationToken cancellationToken, string? search = null, int limit = SearchConversations.DefaultLimit) =>
        string.IsNullOrEmpty(search)
            ? Task.FromResult(new ConversationSearchResult([], false))
            : mediator.Send(new SearchConversations(search, limit), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetConversation(id));

    public static Task<IResult> Start(StartConversation command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetConversation(id), "/api/conversations");

    /// <summary>One message or a transcript's batch, in order.</summary>
    public sealed record MessageBatch(IReadOnlyList<MessageInput>? Messages);

    public static Task<IResult> Append(Guid id, MessageBatch body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new AppendMessages(id, body.Messages ?? [], ETags.ExpectedVersion(context.Request)), new GetConversation(id));
}
