using System.Reflection;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Infrastructure.Idempotency;
using CrmTenancy.Infrastructure.Outbox;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Email;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.AspNetCore.DataProtection;
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
        services.AddSingleton<TenantAuditInterceptor>();
        // The options are built once (a scoped build costs every request a new options object and its hashing), and
        // contexts are pooled (a new one costs its own service scope): a scope leases one and binds it to its tenant
        // and caller, which the interceptors read from the context; disposing the scope unbinds it and gives it back.
        services.AddPooledDbContextFactory<CrmDbContext>((sp, options) => options
            .UseCrmPostgres(connections.App)
            .AddInterceptors(sp.GetRequiredService<TenantAuditInterceptor>(), TenantConnectionInterceptor.Instance, RowLockInterceptor.Instance));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContext()
            .Bind(sp.GetRequiredService<ITenantContext>(), sp.GetService<ICurrentUser>()));
        services.AddScoped<RequestConnection>();
        services.AddSingleton<DbContexts>();
        services.AddScoped<IPlatformReadStore, PlatformReadStore>();
        services.AddScoped<IAnalyticsReadStore, Analytics.AnalyticsReadStore>();
        services.AddSingleton<ITenantJobRunner, TenantJobRunner>();
        services.AddScoped<JobScope>();
        services.AddScoped(typeof(IReadRepository<>), typeof(EfRepository<>));
        services.AddScoped(typeof(IRepository<>), typeof(EfRepository<>));
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<Activities.ActivityRecorder>();
        services.AddScoped<Preconditions>();
        services.AddScoped<ICommittedResources, CommittedResources>();
        services.AddScoped<IdempotentRequest>();
        services.AddScoped<IdempotencyStore>();
        services.AddHostedService<IdempotencyRetentionService>();
        services.AddHostedService<Identity.Server.TokenRetentionService>();
        services.AddHostedService<Analytics.DashboardTallyService>();

        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section));
        AddDataProtection(services, configuration);
        services.AddSingleton<SigningKeyProtector>();
        services.AddSingleton<ISealedSecrets, SealedSecrets>();
        services.AddSingleton<ISigningKeySource, DatabaseSigningKeySource>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<AuthLookups>();
        services.AddScoped<Accounts>();
        services.AddAuthorizationServer(configuration);
        services.AddScoped<SignInCodes>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<IClientRegistry, ClientRegistry>();
        services.AddScoped<IUserAccounts, UserAccounts>();
        services.AddSingleton<IPublicLinks, PublicLinks>();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section));
        services.TryAddSingleton<IEmailSender, PickupDirectoryEmailSender>();
        AddAccounts<User>(services);
        AddAccounts<PlatformOperator>(services);
        services.AddSingleton<DemoData>();
        AddOutbox(services, configuration);
        // Infrastructure's handlers of domain events, found like the Application's (MediatR's scan covers that assembly).
        foreach (var (service, implementation) in ClosedImplementations([typeof(DependencyInjection).Assembly], typeof(MediatR.INotificationHandler<>)))
            services.AddTransient(service, implementation);
        return services.AddServiceModules(typeof(DependencyInjection).Assembly);
    }

    /// <summary>The transactional outbox: its writer in the unit of work, the dispatcher, and every consumer found by scanning.</summary>
    /// <summary>
    /// The key ring that encrypts the signing keys at rest. It must not live in the database: DataProtection:KeyRingPath
    /// names a directory every API node shares (a mounted volume or secret store in production), and
    /// DataProtection:CertificatePath (with CertificatePassword) a PFX that encrypts the ring itself. Without a path the
    /// framework's default location for the user is used.
    /// </summary>
    private static void AddDataProtection(IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("CrmTenancy");
        if (configuration["DataProtection:KeyRingPath"] is { Length: > 0 } ring)
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(ring));
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificate)
            dataProtection.ProtectKeysWithCertificate(
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(certificate, configuration["DataProtection:CertificatePassword"]));
    }

    private static void AddOutbox(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section));
        services.AddScoped<OutboxWriter>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<OutboxDispatcherService>();
        var assemblies = new[] { typeof(Application.DependencyInjection).Assembly, typeof(DependencyInjection).Assembly };
        foreach (var (service, implementation) in ClosedImplementations(assemblies, typeof(IIntegrationEventConsumer<>)))
            services.AddTransient(service, implementation);
    }

    private static IEnumerable<(Type Service, Type Implementation)> ClosedImplementations(Assembly[] assemblies, Type openInterface) =>
        from assembly in assemblies
        from type in assembly.GetTypes()
        where type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }
        from service in type.GetInterfaces()
        where service.IsGenericType && service.GetGenericTypeDefinition() == openInterface
        select (service, type);

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
