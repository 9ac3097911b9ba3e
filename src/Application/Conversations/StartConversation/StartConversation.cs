using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Conversations;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Conversations.StartConversation;

/// <summary>
/// Starts a conversation with a contact or a lead of the tenant (or both, for one person known as both), optionally a
/// call's, with its first messages if given (a transcript of up to 5,000, all or none). Another tenant's person or call
/// is a 404.
/// </summary>
public sealed record StartConversation : ICommand<Guid>
{
    public ConversationChannel Channel { get; init; } = ConversationChannel.Voice;
    public Guid? ContactId { get; init; }
    public Guid? LeadId { get; init; }
    public Guid? CallId { get; init; }
    public string? Subject { get; init; }
    public IReadOnlyList<MessageInput>? Messages { get; init; }
}

public sealed class StartConversationValidator : AbstractValidator<StartConversation>
{
    public StartConversationValidator()
    {
        RuleFor(x => x.Channel).IsInEnum();
        RuleFor(x => x.ContactId).NotNull().When(x => x.LeadId is null).WithMessage("A conversation is with a contact or a lead: give contactId or leadId.");
        RuleFor(x => x.ContactId).NotEqual(Guid.Empty);
        RuleFor(x => x.LeadId).NotEqual(Guid.Empty);
        RuleFor(x => x.CallId).NotEqual(Guid.Empty);
        RuleFor(x => x.Subject).MaximumLength(Conversation.SubjectMaxLength);
        RuleFor(x => x.Messages).Must(m => m is null || m.Count <= Conversation.MaxMessagesAtOnce)
            .WithMessage($"At most {Conversation.MaxMessagesAtOnce} messages at once.");
        RuleForEach(x => x.Messages).NotNull().SetValidator(new MessageInputValidator());
    }
}

public sealed class StartConversationHandler(
    IRepository<Conversation> conversations, IRepository<ConversationMessage> messages, IReadRepository<Contact> contacts,
    IReadRepository<Lead> leads, IReadRepository<Call> calls, ITenantContext tenant, ICurrentUser user, TimeProvider clock)
    : IRequestHandler<StartConversation, Guid>
{
    public async Task<Guid> Handle(StartConversation request, CancellationToken cancellationToken)
    {
        if (request.ContactId is { } contact && !await contacts.AnyAsync(new ReadByIdSpecification<Contact>(tenant, contact), cancellationToken))
            throw new NotFoundException(nameof(Contact), contact);
        if (request.LeadId is { } lead && !await leads.AnyAsync(new ReadByIdSpecification<Lead>(tenant, lead), cancellationToken))
            throw new NotFoundException(nameof(Lead), lead);
        if (request.CallId is { } call && !await calls.AnyAsync(new ReadByIdSpecification<Call>(tenant, call), cancellationToken))
            throw new NotFoundException(nameof(Call), call);
        var conversation = Conversation.Start(tenant.TenantId, request.Channel, request.ContactId, request.LeadId, request.CallId, request.Subject, user.UserId);
        conversations.Add(conversation);
        if (request.Messages is { Count: > 0 } first)
        {
            foreach (var message in conversation.Append(first.ToDrafts(clock.GetUtcNow())))
                messages.Add(message);
        }
        return conversation.Id;
    }
}
