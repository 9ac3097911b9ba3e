using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.EmailTemplates;
using MediatR;

namespace CrmTenancy.Application.EmailTemplates.DeleteEmailTemplate;

/// <summary>Deletes a template; one that an active workflow sends is a 409 (<see cref="EmailTemplateConflicts.InUse"/>).</summary>
public sealed record DeleteEmailTemplate(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class DeleteEmailTemplateHandler(IRepository<EmailTemplate> templates, IEnumerable<IEmailTemplateUsage> usages, ITenantContext tenant)
    : IRequestHandler<DeleteEmailTemplate, Unit>
{
    public async Task<Unit> Handle(DeleteEmailTemplate request, CancellationToken cancellationToken)
    {
        // Loaded first (with its row lock), so a foreign id is a 404 before anything else is asked.
        var template = await templates.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        foreach (var usage in usages)
        {
            if (await usage.IsInUseAsync(template.Id, cancellationToken))
                throw EmailTemplateConflicts.InUse.ToException();
        }
        templates.Remove(template);
        return Unit.Value;
    }
}
