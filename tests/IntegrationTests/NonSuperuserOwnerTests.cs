using System.Security.Cryptography;
using CrmTenancy.Application;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NSubstitute;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// Production runs the migrations as an owner that is not a superuser, so FORCE row-level security binds it too.
/// Migrating and seeding (twice: seeding is idempotent) must still work.
/// </summary>
public sealed class NonSuperuserOwnerTests
{
    private const string OwnerRole = "crm_owner_test";

    [Fact]
    public async Task Migrations_and_demo_seeding_work_for_an_owner_that_is_not_a_superuser()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = "postgres", Pooling = false };
        var database = $"crm_test_owner_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await TestDatabase.Execute(admin, $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OwnerRole}') THEN " +
                                 $"CREATE ROLE {OwnerRole} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE; END IF; END $$;");
            await TestDatabase.Execute(admin, $"CREATE DATABASE \"{database}\" OWNER {OwnerRole} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C'");
            // The application roles are cluster-wide; make sure they exist, as an operator would before the first migration.
            await TestDatabase.Execute(admin, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_app') THEN CREATE ROLE crm_app LOGIN; END IF; " +
                                 "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_platform') THEN CREATE ROLE crm_platform LOGIN; END IF; END $$;");
        }
        try
        {
            var owner = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, Username = OwnerRole }.ConnectionString;
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Crm"] = owner,
                ["Database:Migrate"] = "true",
                ["Database:SeedDemoData"] = "true",
            }).Build();
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(Substitute.For<ICurrentUser>());
            services.AddApplication();
            services.AddInfrastructure(configuration);
            await using var provider = services.BuildServiceProvider();

            await provider.PrepareDatabaseAsync(configuration, CancellationToken.None);
            await provider.PrepareDatabaseAsync(configuration, CancellationToken.None);

            await using var platform = provider.GetRequiredService<DbContexts>().Platform();
            Assert.Equal(DemoData.Tenants.Count, await platform.Tenants.CountAsync());
            // Each tenant's integration, the operator's client and the public web app.
            Assert.Equal(DemoData.Tenants.Count + 2, await platform.OAuthClients.CountAsync());
            Assert.Equal(DemoData.Tenants.Count, await platform.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).CountAsync());
            Assert.Equal(DemoData.Tenants.Count * 2, await platform.Users.IgnoreQueryFilters([CrmDbContext.TenantFilter]).CountAsync());
            Assert.Equal(1, await platform.PlatformOperators.CountAsync());
            // A business unit each, and the "created" entry of each demo customer, contact, lead (three), campaign, call (three)
            // and conversation.
            Assert.Equal(DemoData.Tenants.Count, await platform.Set<Domain.Companies.Company>().IgnoreQueryFilters().CountAsync());
            Assert.Equal(DemoData.Tenants.Count * 10, await platform.Set<Domain.Activities.Activity>().IgnoreQueryFilters()
                .CountAsync(a => a.Action == Domain.Activities.ActivityActions.Created && a.Actor == "system"));
            // A launched voice campaign each: the contact and the two open leads as targets, a call answered, one not, one to come.
            Assert.Equal(DemoData.Tenants.Count, await platform.Set<Domain.Campaigns.Campaign>().IgnoreQueryFilters()
                .CountAsync(c => c.Status == Domain.Campaigns.CampaignStatus.Active && c.TargetCount == 3));
            Assert.Equal(DemoData.Tenants.Count * 3, await platform.Set<Domain.Campaigns.CampaignTarget>().IgnoreQueryFilters().CountAsync());
            Assert.Equal(DemoData.Tenants.Count, await platform.Set<Domain.Calls.Call>().IgnoreQueryFilters()
                .CountAsync(c => c.Status == Domain.Calls.CallStatus.Completed && c.Outcome == Domain.Calls.CallOutcome.Interested));
            Assert.Equal(DemoData.Tenants.Count * 3, await platform.Set<Domain.Calls.Call>().IgnoreQueryFilters().CountAsync());
            // Two workflows each to try: a contact one (a customer tagged "check-in") and a lead one (a lead tagged "webinar").
            Assert.Equal(DemoData.Tenants.Count * 2, await platform.Set<Domain.Workflows.Workflow>().IgnoreQueryFilters().CountAsync(w => w.Enabled));
            Assert.Equal(DemoData.Tenants.Count, await platform.Set<Domain.Workflows.Workflow>().IgnoreQueryFilters()
                .CountAsync(w => w.TriggerKind == Domain.Workflows.TriggerKind.ContactTagAdded && w.TriggerTag == "check-in"));
            // The messages themselves are the tenant's alone (the platform role reads none); their count is on the conversation.
            Assert.Equal(DemoData.Tenants.Count * 4, await platform.Set<Domain.Conversations.Conversation>().IgnoreQueryFilters().SumAsync(c => c.MessageCount));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server.ConnectionString);
            await admin.OpenAsync();
            await TestDatabase.Execute(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }
}
