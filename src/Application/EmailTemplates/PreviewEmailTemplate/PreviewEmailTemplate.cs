using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.EmailTemplates;
using MediatR;

namespace CrmTenancy.Application.EmailTemplates.PreviewEmailTemplate;

/// <summary>
/// The template as one lead or contact of the tenant would receive it (one of the two ids; with both, the contact); a
/// foreign or hidden person is a 404 like a foreign template. With neither, an example person (<see cref="Recipient.Example"/>).
/// </summary>
public sealed record PreviewEmailTemplate(Guid Id, Guid? LeadId, Guid? ContactId) : IQuery<EmailPreview>;

public sealed record EmailPreview(string? To, string Subject, string HtmlBody, string TextBody);

public sealed class PreviewEmailTemplateHandler(IReadRepository<EmailTemplate> templates, Recipients recipients, ITemplateEngine engine, ITenantContext tenant)
    : IRequestHandler<PreviewEmailTemplate, EmailPreview>
{
    public async Task<EmailPreview> Handle(PreviewEmailTemplate request, CancellationToken cancellationToken)
    {
        var template = await templates.FirstOrDefaultAsync(new ReadByIdSpecification<EmailTemplate>(tenant, request.Id), cancellationToken)
            ?? throw new NotFoundException(nameof(EmailTemplate), request.Id);
        var recipient = request.LeadId is null && request.ContactId is null
            ? Recipient.Example
            : await recipients.FindAsync(request.LeadId, request.ContactId, cancellationToken);
        var rendered = await recipients.RenderAsync(engine, template, recipient, cancellationToken);
        return new EmailPreview(recipient.Email, rendered.Subject, rendered.HtmlBody, rendered.TextBody);
    }
}
