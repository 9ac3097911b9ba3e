using System.Text.RegularExpressions;

namespace CrmTenancy.ArchitectureTests;

/// <summary>
/// The Application's modules (its folders but Common and Abstractions) may use each other, but never in a cycle: a
/// cycle makes two modules one, and the next module copies it. Read from the sources, where a module names another
/// by its namespace (a using or a qualified name). (In the domain, a contact links to a customer and a customer lists
/// its contacts for queries: those two aggregates share one folder pair on purpose, so the domain is not checked.)
/// </summary>
public sealed class ModuleDependencyTests
{
    /// <summary>Shared folders every module may use; they are not modules.</summary>
    private static readonly HashSet<string> Shared = ["Common", "Abstractions"];

    [Fact]
    public void No_two_application_modules_depend_on_each_other_directly_or_through_others()
    {
        const string layer = "Application";
        var root = Path.Combine(Layers.RepositoryRoot(), "src", layer);
        var modules = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(m => !Shared.Contains(m) && m is not "bin" and not "obj").ToList();
        Assert.NotEmpty(modules);
        var edges = modules.ToDictionary(m => m, m => ReferencedModules(layer, Path.Combine(root, m), m, modules));

        var cycles = new List<string>();
        foreach (var start in modules)
        {
            foreach (var path in PathsBack(start, edges))
                cycles.Add(string.Join(" -> ", path));
        }

        Assert.True(cycles.Count == 0, $"Module cycles in src/{layer}:{Environment.NewLine}" + string.Join(Environment.NewLine, cycles.Distinct()));
    }

    [Fact]
    public void The_check_sees_a_dependency_between_modules()
    {
        var root = Path.Combine(Layers.RepositoryRoot(), "src", "Application");
        var modules = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().ToList();

        // Customers assign users: the scan must find that edge, or it would prove nothing.
        Assert.Contains("Users", ReferencedModules("Application", Path.Combine(root, "Customers"), "Customers", modules));
    }

    private static HashSet<string> ReferencedModules(string layer, string folder, string self, IReadOnlyCollection<string> modules)
    {
        var pattern = new Regex($@"CrmTenancy\.{layer}\.(\w+)");
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => pattern.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Where(m => m != self && modules.Contains(m))
            .ToHashSet();
    }

    /// <summary>Every path of dependencies that leads from <paramref name="start"/> back to it.</summary>
    private static IEnumerable<List<string>> PathsBack(string start, IReadOnlyDictionary<string, HashSet<string>> edges)
    {
        var stack = new Stack<List<string>>();
        stack.Push([start]);
        while (stack.Count > 0)
        {
            var path = stack.Pop();
            foreach (var next in edges[path[^1]])
            {
                if (next == start)
                    yield return [.. path, next];
                else if (!path.Contains(next))
                    stack.Push([.. path, next]);
            }
        }
    }
}
