using CrmTenancy.Application.Common;
using CrmTenancy.Application.EmailTemplates;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>The automation module's adapters: the template engine, unsubscribe links.</summary>
public sealed class AutomationServices : IServiceModule
{
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<ITemplateEngine, FluidTemplateEngine>();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddSingleton<IUnsubscribeLinks>(sp => sp.GetRequiredService<UnsubscribeLinks>());
    }
}
