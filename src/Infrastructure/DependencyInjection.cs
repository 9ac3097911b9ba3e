using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Email;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmTenancy.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connections = DatabaseConnections.From(configuration);
        services.AddSingleton(connections);

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<TenantAuditInterceptor>();
        services.AddScoped<TenantConnectionInterceptor>();
        services.AddDbContext<CrmDbContext>((sp, options) => options
            .UseCrmPostgres(connections.App)
            .AddInterceptors(sp.GetRequiredService<TenantAuditInterceptor>(), sp.GetRequiredService<TenantConnectionInterceptor>()));
        services.AddSingleton<DbContexts>();
        services.AddSingleton<PlatformDb>();
        services.AddScoped<IPlatformReadStore, PlatformReadStore>();
        services.AddSingleton<ITenantJobRunner, TenantJobRunner>();
        services.AddScoped<JobScope>();
        services.AddScoped(typeof(IReadRepository<>), typeof(EfRepository<>));
        services.AddScoped(typeof(IRepository<>), typeof(EfRepository<>));
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<Preconditions>();

        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section));
        services.AddSingleton<ISigningKeySource, DatabaseSigningKeySource>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddSingleton<AuthLookups>();
        services.AddScoped<AuthorizationServer>();
        // Infrastructure's handlers of domain events (MediatR scans only the Application assembly).
        services.AddTransient<MediatR.INotificationHandler<Application.Common.Messaging.DomainEventNotification<UserDeactivated>>, RevokeRefreshTokensOnDeactivation>();
        services.AddScoped<IClientRegistry, ClientRegistry>();
        services.AddScoped<IUserAccounts, UserAccounts>();
        services.AddSingleton<IPublicLinks, PublicLinks>();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section));
        services.TryAddSingleton<IEmailSender, PickupDirectoryEmailSender>();
        AddAccounts<User>(services);
        AddAccounts<PlatformOperator>(services);
        services.AddSingleton<DemoData>();
        return services;
    }

    /// <summary>
    /// ASP.NET Core Identity for one kind of account: passwords of 10 characters or more (length over composition,
    /// as NIST SP 800-63B advises), lockout for 15 minutes after 5 failures, emails as user names.
    /// </summary>
    private static void AddAccounts<TAccount>(IServiceCollection services) where TAccount : Domain.Users.Account
    {
        services.AddIdentityCore<TAccount>(options =>
            {
                options.Password.RequiredLength = 10;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.User.AllowedUserNameCharacters = "";
            })
            .AddUserStore<AccountStore<TAccount>>();
    }
}
