using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.EmailTemplates;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.EmailTemplates.CreateEmailTemplate;

/// <summary>A new email template of the tenant; its sources are checked (Liquid, known merge fields) before it is saved.</summary>
public sealed record CreateEmailTemplate : EmailTemplateInput, ICommand<Guid>;

public sealed class CreateEmailTemplateValidator : AbstractValidator<CreateEmailTemplate>
{
    public CreateEmailTemplateValidator(ITemplateEngine engine) => this.ApplyEmailTemplateInputRules(engine);
}

public sealed class CreateEmailTemplateHandler(IRepository<EmailTemplate> templates, ITenantContext tenant) : IRequestHandler<CreateEmailTemplate, Guid>
{
    public Task<Guid> Handle(CreateEmailTemplate request, CancellationToken cancellationToken)
    {
        var template = EmailTemplate.Create(tenant.TenantId, request.ToContent());
        templates.Add(template);
        return Task.FromResult(template.Id);
    }
}
