using System.Text.Json.Serialization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.EmailTemplates;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.EmailTemplates.UpdateEmailTemplate;

/// <summary>
/// Replaces the template (a PUT). Emails already sent keep what they said; workflows send the new text from now on.
/// </summary>
public sealed record UpdateEmailTemplate : EmailTemplateInput, ICommand<Unit>, IConditionalCommand, IReplacement
{
    /// <summary>From the route, never from the body.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>From the If-Match header, never from the body.</summary>
    [JsonIgnore]
    public int? ExpectedVersion { get; init; }
}

public sealed class UpdateEmailTemplateValidator : AbstractValidator<UpdateEmailTemplate>
{
    public UpdateEmailTemplateValidator(ITemplateEngine engine) => this.ApplyEmailTemplateInputRules(engine);
}

public sealed class UpdateEmailTemplateHandler(IRepository<EmailTemplate> templates, ITenantContext tenant) : IRequestHandler<UpdateEmailTemplate, Unit>
{
    public async Task<Unit> Handle(UpdateEmailTemplate request, CancellationToken cancellationToken)
    {
        var template = await templates.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        template.Update(request.ToContent());
        return Unit.Value;
    }
}
