using System.Net;
using System.Net.Sockets;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

[assembly: AssemblyFixture(typeof(CrmTenancy.EndToEndTests.Infrastructure.E2EServer))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CrmTenancy.EndToEndTests.Infrastructure;

/// <summary>
/// The real web host on a real socket (Kestrel on 127.0.0.1), over a database of its own with the demo data
/// seeded, so a browser and a separate process (node) can reach it. The issuer is the address it listens on:
/// an OIDC client checks that the discovery document's issuer is the URL it fetched the document from.
/// </summary>
public sealed class E2EServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _database;

    public E2EServer()
    {
        // The port must be known before the host starts (it is the issuer), so one is picked first.
        Port = FreeLoopbackPort();
        BaseUrl = $"http://127.0.0.1:{Port}";
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT, without a trailing slash; also the token issuer.</summary>
    public string BaseUrl { get; }

    public string Issuer => BaseUrl;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("e2e");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Crm", Database.ConnectionString);
        builder.UseSetting("Tokens:Issuer", Issuer);
        builder.UseSetting("Tokens:Audience", "crm-api");
        // The database is cloned from a migrated template; the demo tenants, users and clients are seeded at start.
        builder.UseSetting("Database:Migrate", "false");
        builder.UseSetting("Database:SeedDemoData", "true");
    }

    /// <summary>An HTTP client over the real socket that does not follow redirects (a test reads them).</summary>
    public HttpClient CreateSocketClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl + "/") };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
