using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Workflows;
using MediatR;

namespace CrmTenancy.Application.Workflows.AutomationSettings;

/// <summary>How the tenant's workflows send email: the product's own sender (the default) or the external platform.</summary>
public sealed record GetAutomationSettings : IQuery<AutomationSettingsDto>;

public sealed record AutomationSettingsDto(EmailChannel EmailChannel);

/// <summary>Chooses the email path of the tenant's workflows, from the next email on.</summary>
public sealed record ChangeAutomationSettings(EmailChannel EmailChannel) : ICommand<AutomationSettingsDto>, ITenantAdminRequest;

public sealed class AutomationSettingsSpecification : TenantSpecification<Domain.Workflows.AutomationSettings>
{
    public AutomationSettingsSpecification(ITenantContext tenant) : base(tenant) { }
}

public sealed class GetAutomationSettingsHandler(IReadRepository<Domain.Workflows.AutomationSettings> settings, ITenantContext tenant)
    : IRequestHandler<GetAutomationSettings, AutomationSettingsDto>
{
    public async Task<AutomationSettingsDto> Handle(GetAutomationSettings request, CancellationToken cancellationToken) =>
        new((await settings.FirstOrDefaultAsync(new AutomationSettingsSpecification(tenant), cancellationToken))?.EmailChannel ?? EmailChannel.Own);
}

public sealed class ChangeAutomationSettingsHandler(IRepository<Domain.Workflows.AutomationSettings> settings, ITenantContext tenant)
    : IRequestHandler<ChangeAutomationSettings, AutomationSettingsDto>
{
    public async Task<AutomationSettingsDto> Handle(ChangeAutomationSettings request, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(request.EmailChannel))
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("emailChannel", "The email channel is own or platform.")]);
        var current = await settings.FirstOrDefaultAsync(new AutomationSettingsSpecification(tenant), cancellationToken);
        if (current is null)
            settings.Add(Domain.Workflows.AutomationSettings.For(tenant.TenantId, request.EmailChannel));
        else
            current.Use(request.EmailChannel);
        return new AutomationSettingsDto(request.EmailChannel);
    }
}
