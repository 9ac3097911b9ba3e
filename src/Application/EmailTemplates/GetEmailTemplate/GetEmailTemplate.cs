using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.EmailTemplates;
using MediatR;

namespace CrmTenancy.Application.EmailTemplates.GetEmailTemplate;

public sealed record GetEmailTemplate(Guid Id) : IGetById<EmailTemplate, EmailTemplateDto>;

public sealed class GetEmailTemplateHandler(IReadRepository<EmailTemplate> templates, ITenantContext tenant) : IRequestHandler<GetEmailTemplate, EmailTemplateDto>
{
    public Task<EmailTemplateDto> Handle(GetEmailTemplate request, CancellationToken cancellationToken) =>
        templates.GetDtoAsync<EmailTemplate, EmailTemplateDto>(tenant, request.Id, cancellationToken);
}
