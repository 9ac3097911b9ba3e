using CrmTenancy.Application.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Application.EmailTemplates;

public sealed class EmailTemplateServices : IServiceModule
{
    public void Register(IServiceCollection services) => services.AddScoped<Recipients>();
}
