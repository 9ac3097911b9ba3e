using System.Text.RegularExpressions;

namespace CrmTenancy.ArchitectureTests;

/// <summary>
/// The identity slice (the authorization server on OpenIddict, sign-in, token validation) is a module of its own: the
/// CRM modules never name it, so the protocol can change without them; and its endpoints only parse HTTP and call one
/// service, never the database. Read from the sources, like <see cref="ModuleDependencyTests"/>.
/// </summary>
public sealed partial class IdentityModuleTests
{
    /// <summary>The identity slice's web endpoints; every other endpoint file is a CRM module's.</summary>
    private static readonly HashSet<string> IdentityEndpoints = ["Account.cs", "Authorize.cs", "Connect.cs"];

    [Fact]
    public void No_crm_module_names_the_authorization_server_or_openiddict()
    {
        var offenders = CrmSources().Where(file => IdentityReference().IsMatch(File.ReadAllText(file))).Select(Relative).ToList();

        Assert.True(offenders.Count == 0, "CRM code that names the identity slice:" + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void The_check_sees_a_reference_to_the_authorization_server()
    {
        // The token endpoint names it: the scan must find that, or it would prove nothing.
        Assert.Matches(IdentityReference(), File.ReadAllText(Path.Combine(Layers.RepositoryRoot(), "src", "WebApi", "Endpoints", "Connect.cs")));
    }

    [Fact]
    public void The_identity_endpoints_never_touch_the_database()
    {
        var endpoints = Path.Combine(Layers.RepositoryRoot(), "src", "WebApi", "Endpoints");
        var offenders = IdentityEndpoints.Select(name => Path.Combine(endpoints, name))
            .Where(file => DatabaseReference().IsMatch(File.ReadAllText(file))).Select(Relative).ToList();

        Assert.True(offenders.Count == 0, "Identity endpoints that use a DbContext or a lookup directly:" + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    /// <summary>The domain, the Application's modules and the CRM modules' endpoints.</summary>
    private static IEnumerable<string> CrmSources()
    {
        var src = Path.Combine(Layers.RepositoryRoot(), "src");
        var endpoints = Directory.EnumerateFiles(Path.Combine(src, "WebApi", "Endpoints"), "*.cs").Where(f => !IdentityEndpoints.Contains(Path.GetFileName(f)));
        return new[] { "Domain", "Application" }
            .SelectMany(layer => Directory.EnumerateFiles(Path.Combine(src, layer), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Concat(endpoints);
    }

    [GeneratedRegex(@"CrmTenancy\.Infrastructure\.Identity\.Server|\bOpenIddict\b")]
    private static partial Regex IdentityReference();

    [GeneratedRegex(@"\b(CrmDbContext|DbContexts|AuthLookups|DbSet<)")]
    private static partial Regex DatabaseReference();

    private static string Relative(string file) => Path.GetRelativePath(Layers.RepositoryRoot(), file);
}
