using System.Text.Json.Serialization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Users;
using MediatR;

namespace CrmTenancy.Application.EmailTemplates.SendTestEmail;

/// <summary>
/// Sends the template to the signed-in caller's own address, merged for a chosen lead or contact (or, with neither, for
/// the caller), through the product's sender. A client has no address: a 400. If-Match names the template version
/// the caller looked at.
/// </summary>
public sealed record SendTestEmail : ICommand<TestEmailSent>, IConditionalCommand
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public int? ExpectedVersion { get; init; }

    public Guid? LeadId { get; init; }
    public Guid? ContactId { get; init; }
}

public sealed record TestEmailSent(string To, string Subject);

public sealed class SendTestEmailHandler(
    IReadRepository<EmailTemplate> templates, IReadRepository<User> users, Recipients recipients, ITemplateEngine engine,
    IEmailSender sender, ITenantContext tenant, ICurrentUser caller) : IRequestHandler<SendTestEmail, TestEmailSent>
{
    public async Task<TestEmailSent> Handle(SendTestEmail request, CancellationToken cancellationToken)
    {
        var template = await templates.FirstOrDefaultAsync(new ReadByIdSpecification<EmailTemplate>(tenant, request.Id), cancellationToken)
            ?? throw new NotFoundException(nameof(EmailTemplate), request.Id);
        if (request.ExpectedVersion is { } expected && expected != template.Version)
            throw new PreconditionFailedException("email template");
        // The person first: a foreign lead or contact is a 404 whoever asks.
        var chosen = request.LeadId is null && request.ContactId is null
            ? null
            : await recipients.FindAsync(request.LeadId, request.ContactId, cancellationToken);
        var me = caller.UserId is { } userId
            ? await users.FirstOrDefaultAsync(new ReadByIdSpecification<User>(tenant, userId), cancellationToken)
            : null;
        if (me is null)
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("caller", "A test email goes to the signed-in user's address; a client has none.")]);
        var recipient = chosen ?? new Recipient(null, null, me.Email, FirstWord(me.DisplayName), Rest(me.DisplayName), null, me.Id);
        var rendered = await recipients.RenderAsync(engine, template, recipient, cancellationToken);
        var subject = $"[Test] {rendered.Subject}";
        await sender.SendAsync(new EmailMessage(me.Email, subject, rendered.TextBody, rendered.HtmlBody), cancellationToken);
        return new TestEmailSent(me.Email, subject);
    }

    private static string FirstWord(string name) => name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;

    private static string Rest(string name) => name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [_, var rest] ? rest : "";
}
