using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.WebApi.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.FunctionalTests.Infrastructure;

/// <summary>
/// A deliberately broken endpoint, for proving the isolation scanner catches a forgotten tenant scope: it reads a
/// customer by id on the platform role with the Tenant filter ignored, so any tenant's caller gets any tenant's row.
/// It is mapped after the product's pipeline (a request no product endpoint matched falls through to it), already
/// authenticated and with the tenant resolved, and it requires crm.read like the real endpoints. UseEndpoints adds
/// its data source to the application's endpoint data sources, so the OpenAPI document describes it.
/// </summary>
public sealed class LeakyEndpointStartupFilter : IStartupFilter
{
    public const string Route = "/api/leaky-customers/{id}";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.UseRouting();
        app.UseAuthorization();
        app.UseEndpoints(endpoints => endpoints.MapGet("/api/leaky-customers/{id:guid}", ReadAnyTenantsCustomer)
            .WithTags("Leaky")
            .WithName("LeakyGetCustomer")
            .RequireAuthorization(Policies.Read));
    };

    private static async Task<IResult> ReadAnyTenantsCustomer(Guid id, DbContexts contexts, CancellationToken cancellationToken)
    {
        await using var db = contexts.Platform();
        var customer = await db.Customers.IgnoreQueryFilters([CrmDbContext.TenantFilter]).AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new { c.Id, c.Name, c.Email })
            .FirstOrDefaultAsync(cancellationToken);
        return customer is null ? Results.NotFound() : Results.Ok(customer);
    }
}

public static class LeakyApi
{
    /// <summary>
    /// The product's host with the leaky endpoint added. It is derived from the assembly's <see cref="ApiFactory"/>
    /// (same settings, same database, which <see cref="ApiTest"/> resets before each test); dispose it after the test.
    /// </summary>
    public static WebApplicationFactory<Program> Create(ApiFactory factory) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddTransient<IStartupFilter, LeakyEndpointStartupFilter>()));
}
