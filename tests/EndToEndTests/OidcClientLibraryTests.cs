using System.Reflection;
using System.Text.Json;
using CrmTenancy.EndToEndTests.Infrastructure;

namespace CrmTenancy.EndToEndTests;

/// <summary>
/// An independent, standard OIDC client library (panva's openid-client, run by node from oidc-client/flows.mjs)
/// configured from the discovery document alone, runs the client_credentials flow and the authorization code
/// flow with PKCE (login, userinfo, refresh rotation and reuse, introspection, revocation) against the server.
/// </summary>
public sealed class OidcClientLibraryTests(E2EServer server)
{
    private static readonly string ClientDirectory =
        typeof(OidcClientLibraryTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "OidcClientDirectory").Value!;

    [Fact]
    public async Task Openid_client_runs_every_flow_from_the_discovery_document()
    {
        await EnsureDependenciesAsync();

        var result = await ExternalProcess.RunAsync("node", ["flows.mjs", server.BaseUrl], ClientDirectory, TimeSpan.FromMinutes(2));

        var flows = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
        Assert.True(result.ExitCode == 0, "node flows.mjs failed: " + result);
        Assert.Equal(["client_credentials", "authorization_code_pkce"], flows.Select(f => f.GetProperty("flow").GetString()));
        foreach (var flow in flows)
            foreach (var step in flow.EnumerateObject().Where(p => p.Name != "flow"))
                Assert.True(step.Value.GetString() == "ok", $"{flow.GetProperty("flow")}/{step.Name}: {step.Value}");
    }

    /// <summary>A clean clone has no node_modules: install the locked versions (npm ci), once.</summary>
    private static async Task EnsureDependenciesAsync()
    {
        Assert.True(File.Exists(Path.Combine(ClientDirectory, "package-lock.json")), "No package-lock.json in " + ClientDirectory);
        if (File.Exists(Path.Combine(ClientDirectory, "node_modules", "openid-client", "package.json")))
            return;
        var install = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], ClientDirectory, TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0, "npm ci failed in " + ClientDirectory + ": " + install);
    }
}
