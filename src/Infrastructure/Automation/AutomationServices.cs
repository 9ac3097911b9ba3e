using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Application.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// The automation module's adapters: the template engine, the email links, the runner and the deliverer, the email
/// platform (the HTTP one with a base URL configured, else the product's own sender), SMTP when a host is configured.
/// </summary>
public sealed class AutomationServices : IServiceModule
{
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<ITemplateEngine, FluidTemplateEngine>();
        services.AddSingleton<EmailLinks>();
        services.AddSingleton<IEmailLinks>(sp => sp.GetRequiredService<EmailLinks>());
        services.AddSingleton<WorkflowRunner>();
        services.AddSingleton<AutomationDeliverer>();
        services.AddSingleton<AutomationEvents>();
        services.AddScoped<Application.Workflows.GetTenantAutomation.IPlatformAutomationReads, PlatformAutomationReads>();
        services.AddScoped<Application.Workflows.GetAutomationStats.IAutomationStatsReader, AutomationStatsReader>();
        services.AddHostedService<WorkflowRunnerService>();
        services.AddHostedService<AutomationDelivererService>();
        services.AddHttpClient(AutomationDeliverer.WebhookClient, client => client.Timeout = TimeSpan.FromSeconds(10));

        services.AddOptions<EmailPlatformOptions>().BindConfiguration(EmailPlatformOptions.Section);
        services.AddHttpClient<HttpEmailPlatform>((sp, client) =>
            {
                var settings = sp.GetRequiredService<IOptions<EmailPlatformOptions>>().Value;
                client.BaseAddress = new Uri(settings.BaseUrl!.TrimEnd('/') + "/");
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", settings.ApiKey);
            })
            .AddStandardResilienceHandler();
        services.AddSingleton<OwnSenderPlatform>();
        services.AddTransient<IEmailPlatform>(sp => string.IsNullOrEmpty(sp.GetRequiredService<IOptions<EmailPlatformOptions>>().Value.BaseUrl)
            ? sp.GetRequiredService<OwnSenderPlatform>()
            : sp.GetRequiredService<HttpEmailPlatform>());

        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section);
        services.AddSingleton<SmtpEmailSender>();
        services.Replace(ServiceDescriptor.Singleton<IEmailSender>(sp => string.IsNullOrEmpty(sp.GetRequiredService<IOptions<SmtpOptions>>().Value.Host)
            ? ActivatorUtilities.CreateInstance<Email.PickupDirectoryEmailSender>(sp)
            : sp.GetRequiredService<SmtpEmailSender>()));
    }
}
