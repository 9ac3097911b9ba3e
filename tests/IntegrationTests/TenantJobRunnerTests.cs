using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// Background work through <see cref="ITenantJobRunner"/>: each job reads and writes as the tenant of its payload,
/// and nothing of the job before it. (The fixture substitutes <see cref="ICurrentUser"/>, so the "job" actor that the
/// web host's current user derives from <see cref="JobScope"/> is asserted through the job scope flag instead.)
/// </summary>
public sealed class TenantJobRunnerTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    private sealed class AllCustomers(ITenantContext tenant) : TenantSpecification<Customer>(tenant);

    private ITenantJobRunner Runner => Fixture.Services.GetRequiredService<ITenantJobRunner>();

    [Fact]
    public async Task A_job_lists_only_its_tenants_customers_through_the_repository_and_the_context()
    {
        await SeedAsync(TenantA, "A one", "A two");
        await SeedAsync(TenantB, "B one");

        var (throughRepository, throughContext) = await Runner.RunAsync(TenantA, async (services, token) =>
        {
            var tenant = services.GetRequiredService<ITenantContext>();
            var listed = await services.GetRequiredService<IReadRepository<Customer>>().ListAsync(new AllCustomers(tenant), token);
            var direct = await services.GetRequiredService<CrmDbContext>().Customers.Select(c => c.Name).ToListAsync(token);
            return (listed, direct);
        }, CancellationToken.None);

        Assert.Equal(["A one", "A two"], throughRepository.Select(c => c.Name).Order());
        Assert.All(throughRepository, c => Assert.Equal(TenantA, c.TenantId));
        Assert.Equal(["A one", "A two"], throughContext.Order());
    }

    [Fact]
    public async Task A_job_for_B_after_a_job_for_A_on_the_same_flow_sees_only_Bs_rows()
    {
        await SeedAsync(TenantA, "A one", "A two");
        await SeedAsync(TenantB, "B one");

        var first = await Runner.RunAsync(TenantA, ListNamesAsync, CancellationToken.None);
        var second = await Runner.RunAsync(TenantB, ListNamesAsync, CancellationToken.None);
        var third = await Runner.RunAsync(TenantA, ListNamesAsync, CancellationToken.None);

        Assert.Equal(["A one", "A two"], first.Names);
        Assert.Equal(TenantA, first.Tenant);
        Assert.Equal(["B one"], second.Names);
        Assert.Equal(TenantB, second.Tenant);
        Assert.Equal(0, second.RawCountOfOthers);
        Assert.Equal(["A one", "A two"], third.Names);
    }

    [Fact]
    public async Task A_job_started_inside_a_request_scope_of_another_tenant_runs_as_the_jobs_tenant()
    {
        await SeedAsync(TenantA, "A one");
        await SeedAsync(TenantB, "B one");
        await using var request = Fixture.For(TenantA);
        Assert.Equal(["A one"], await request.Db.Customers.Select(c => c.Name).ToListAsync());

        var job = await Runner.RunAsync(TenantB, ListNamesAsync, CancellationToken.None);

        Assert.Equal(["B one"], job.Names);
        Assert.Equal(TenantB, job.Tenant);
        // The request's own scope is untouched by the job.
        Assert.Equal(TenantA, request.Tenant.TenantId);
        Assert.False(request.Get<JobScope>().IsJob);
        Assert.Equal(["A one"], await request.Db.Customers.Select(c => c.Name).ToListAsync());
    }

    [Fact]
    public async Task A_job_adds_a_customer_of_its_own_tenant_in_a_job_scope()
    {
        var id = await Runner.RunAsync(TenantA, async (services, token) =>
        {
            Assert.True(services.GetRequiredService<JobScope>().IsJob);
            var customer = Customer.Create(services.GetRequiredService<ITenantContext>().TenantId,
                new CustomerDetails("Made by a job"), CustomerSource.Other, ownerId: null);
            services.GetRequiredService<IRepository<Customer>>().Add(customer);
            await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(token);
            return customer.Id;
        }, CancellationToken.None);

        await using var owner = Fixture.Database.Owner();
        var stored = await owner.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(TenantA, stored.TenantId);
        Assert.Equal(Fixture.Clock.Now, stored.CreatedAt);
        // The fixture's ICurrentUser is a substitute that ignores JobScope; under the web host it would be "job".
        Assert.Equal(Fixture.User.Actor, stored.CreatedBy);
        await using var b = Fixture.For(TenantB);
        Assert.Empty(await b.Db.Customers.ToListAsync());
    }

    [Fact]
    public async Task A_job_cannot_add_a_customer_of_another_tenant()
    {
        await Assert.ThrowsAsync<CrossTenantWriteException>(() => Runner.RunAsync(TenantA, async (services, token) =>
        {
            services.GetRequiredService<IRepository<Customer>>()
                .Add(Customer.Create(TenantB, new CustomerDetails("Planted by A's job"), CustomerSource.Other, ownerId: null));
            await services.GetRequiredService<CrmDbContext>().SaveChangesAsync(token);
        }, CancellationToken.None));

        await using var owner = Fixture.Database.Owner();
        Assert.Equal(0, await owner.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).CountAsync());
    }

    [Fact]
    public async Task A_job_cannot_read_another_tenants_rows_even_with_the_filter_ignored()
    {
        await SeedAsync(TenantB, "B one");
        var seen = await Runner.RunAsync(TenantA, (services, token) =>
            services.GetRequiredService<CrmDbContext>().Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).CountAsync(token), CancellationToken.None);
        Assert.Equal(0, seen);
    }

    private static async Task<(Guid Tenant, List<string> Names, int RawCountOfOthers)> ListNamesAsync(IServiceProvider services, CancellationToken token)
    {
        var tenant = services.GetRequiredService<ITenantContext>();
        var names = (await services.GetRequiredService<IReadRepository<Customer>>().ListAsync(new AllCustomers(tenant), token))
            .Select(c => c.Name).Order().ToList();
        var db = services.GetRequiredService<CrmDbContext>();
        var others = await db.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).CountAsync(c => c.TenantId != tenant.TenantId, token);
        return (tenant.TenantId, names, others);
    }

    private async Task SeedAsync(Guid tenant, params string[] names)
    {
        await using var scope = Fixture.For(tenant);
        foreach (var name in names)
            scope.Db.Customers.Add(Customer.Create(tenant, new CustomerDetails(name), CustomerSource.Direct, ownerId: null));
        await scope.Db.SaveChangesAsync();
    }
}
