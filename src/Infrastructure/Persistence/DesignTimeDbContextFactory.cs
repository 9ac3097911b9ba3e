using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>For dotnet-ef (migrations add, has-pending-model-changes); never used at run time.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Crm")
            ?? "Host=127.0.0.1;Port=55432;Database=crm;Username=postgres";
        var options = new DbContextOptionsBuilder<CrmDbContext>()
            .UseCrmPostgres(connectionString)
            .Options;
        return new CrmDbContext(options);
    }
}
