// CrmTenancy build: ./build.sh --target=<Restore|Build|MigrationsCheck|Test|Run>
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Debug");
var solution = "./CrmTenancy.sln";
var resultsRoot = MakeAbsolute(Directory("./artifacts/test-results"));

Task("Restore").Does(() => DotNetRestore(solution));

Task("Build").IsDependentOn("Restore").Does(() =>
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

// Fails when the model has changes that no migration holds.
Task("MigrationsCheck").IsDependentOn("Build").Does(() =>
{
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = "ef migrations has-pending-model-changes -p src/Infrastructure -s src/Infrastructure --no-build --configuration " + configuration,
    });
    if (exit != 0)
        throw new Exception("The EF Core model has changes that no migration holds: add a migration (see README).");
});

// What the end-to-end tests (tests/EndToEndTests) need besides .NET: Debian's chromium for the browser tests and
// the locked openid-client for the OIDC conformance script. Installed here so a clean clone runs in CI (root, Debian).
Task("EndToEndPrerequisites").Does(() =>
{
    const string chromium = "/usr/lib/chromium/chromium";
    if (!System.IO.File.Exists(chromium))
    {
        if (!IsRoot())
            throw new Exception($"Chromium is missing ({chromium}), and installing it needs root: run `sudo apt-get update && sudo apt-get install -y chromium` (Debian/Ubuntu).");
        Information("Chromium is missing; installing the Debian package chromium with apt-get.");
        var apt = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        if (StartProcess("apt-get", new ProcessSettings { Arguments = "update -qq", EnvironmentVariables = apt }) != 0
            || StartProcess("apt-get", new ProcessSettings { Arguments = "install -y -qq chromium", EnvironmentVariables = apt }) != 0
            || !System.IO.File.Exists(chromium))
            throw new Exception($"Could not install chromium with apt-get ({chromium} is still missing).");
    }

    var oidcClient = MakeAbsolute(Directory("./tests/EndToEndTests/oidc-client"));
    if (!DirectoryExists(oidcClient.Combine("node_modules")))
    {
        Information("Installing the OIDC conformance client's locked packages (npm ci).");
        int exit;
        try
        {
            exit = StartProcess("npm", new ProcessSettings { Arguments = "ci --no-audit --no-fund", WorkingDirectory = oidcClient });
        }
        catch (Exception e)
        {
            throw new Exception("npm is missing: install Node.js 20 or later with npm (Debian: `apt-get install -y nodejs npm`).", e);
        }
        if (exit != 0)
            throw new Exception($"npm ci failed in {oidcClient.FullPath}.");
    }
});

Task("Test").IsDependentOn("MigrationsCheck").IsDependentOn("EndToEndPrerequisites").Does(() =>
{
    CleanDirectory(resultsRoot);
    var connectionString = StartPostgres("test");
    var passed = 0;
    var failed = 0;
    var failedProjects = new List<string>();
    try
    {
        foreach (var project in GetFiles("./tests/*/*.csproj").Where(p => !p.GetFilenameWithoutExtension().ToString().EndsWith("TestSupport")))
        {
            var name = project.GetFilenameWithoutExtension().ToString();
            var results = resultsRoot.Combine(name);
            var exit = StartProcess("dotnet", new ProcessSettings
            {
                Arguments = $"test \"{project.FullPath}\" --no-build --configuration {configuration} --logger \"trx;LogFileName=results.trx\" --results-directory \"{results.FullPath}\"",
                EnvironmentVariables = new Dictionary<string, string> { ["ConnectionStrings__Crm"] = connectionString },
            });
            var (p, f) = CountResults(results);
            passed += p;
            failed += f;
            if (exit != 0)
            {
                failedProjects.Add(name);
                if (f == 0) failed += 1; // a crash or a build problem counts as a failure even without results
            }
        }
    }
    finally
    {
        StopPostgres("test");
    }
    // One plain line, alone and uncoloured, for CI to read.
    Console.WriteLine($"{passed} passed, {failed} failed");
    if (failed > 0 || failedProjects.Count > 0)
        throw new Exception("Tests failed in: " + string.Join(", ", failedProjects));
});

Task("Run").IsDependentOn("Build").Does(() =>
{
    var connectionString = StartPostgres("run");
    Information("Serving CrmTenancy on http://127.0.0.1:5080 (Ctrl+C stops it); API docs at http://127.0.0.1:5080/docs; mail in .data/mail");
    try
    {
        StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"run --project src/WebApi --no-build --no-launch-profile --configuration {configuration}",
            EnvironmentVariables = new Dictionary<string, string>
            {
                ["ConnectionStrings__Crm"] = connectionString,
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:5080",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Database__Migrate"] = "true",
                ["Database__SeedDemoData"] = "true",
                // The development mail sender's folder, at the repository root whatever the process's directory.
                ["Email__PickupDirectory"] = MakeAbsolute(Directory("./.data/mail")).FullPath,
                // The Data Protection key ring that encrypts the signing keys: beside the database, never in it.
                ["DataProtection__KeyRingPath"] = MakeAbsolute(Directory("./.data/keys")).FullPath,
            },
        });
    }
    finally
    {
        StopPostgres("run");
    }
});

RunTarget(target);

string StartPostgres(string mode)
{
    var exit = StartProcess("bash", new ProcessSettings { Arguments = $"scripts/pg.sh start {mode}", RedirectStandardOutput = true }, out var output);
    var lines = output.ToList();
    if (exit != 0)
        throw new Exception("Could not start the private PostgreSQL cluster: " + string.Join(Environment.NewLine, lines));
    return lines.Last(l => l.StartsWith("Host="));
}

bool IsRoot()
{
    StartProcess("id", new ProcessSettings { Arguments = "-u", RedirectStandardOutput = true }, out var output);
    return output.FirstOrDefault()?.Trim() == "0";
}

void StopPostgres(string mode) => StartProcess("bash", new ProcessSettings { Arguments = $"scripts/pg.sh stop {mode}" });

(int Passed, int Failed) CountResults(DirectoryPath results)
{
    var passed = 0;
    var failed = 0;
    foreach (var trx in GetFiles(results.FullPath + "/**/*.trx"))
    {
        var counters = XDocument.Load(trx.FullPath).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters is null) continue;
        passed += int.Parse(counters.Attribute("passed")?.Value ?? "0");
        failed += int.Parse(counters.Attribute("failed")?.Value ?? "0") + int.Parse(counters.Attribute("error")?.Value ?? "0")
                  + int.Parse(counters.Attribute("timeout")?.Value ?? "0") + int.Parse(counters.Attribute("aborted")?.Value ?? "0");
    }
    return (passed, failed);
}
