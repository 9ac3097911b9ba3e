using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Conversations;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Conversations.AppendMessages;

/// <summary>Adds one message or a transcript's batch (up to 5,000) after the last one: all of them, or none.</summary>
public sealed record AppendMessages(Guid Id, IReadOnlyList<MessageInput> Messages, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class AppendMessagesValidator : AbstractValidator<AppendMessages>
{
    public AppendMessagesValidator()
    {
        RuleFor(x => x.Messages).NotEmpty().Must(m => m is null || m.Count <= Conversation.MaxMessagesAtOnce)
            .WithMessage($"Between 1 and {Conversation.MaxMessagesAtOnce} messages at once.");
        RuleForEach(x => x.Messages).NotNull().SetValidator(new MessageInputValidator());
    }
}

public sealed class AppendMessagesHandler(IRepository<Conversation> conversations, IRepository<ConversationMessage> messages, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<AppendMessages, Unit>
{
    public async Task<Unit> Handle(AppendMessages request, CancellationToken cancellationToken)
    {
        var conversation = await conversations.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        foreach (var message in conversation.Append(request.Messages.ToDrafts(clock.GetUtcNow())))
            messages.Add(message);
        return Unit.Value;
    }
}
