using System.Text;

namespace CrmTenancy.WebApi.SelfTest;

/// <summary>One isolation failure the scanner found, with the operation as the OpenAPI document names it.</summary>
public sealed record IsolationViolation(string Method, string Path, string Check, string Expected, string Actual)
{
    public override string ToString() => $"{Method} {Path} [{Check}]: expected {Expected}; actual {Actual}";
}

/// <summary>What the scanner did and what it found. Counts let a test assert the scan was not vacuous.</summary>
public sealed class IsolationScanReport
{
    public List<IsolationViolation> Violations { get; } = [];
    /// <summary>Operations with path parameters sent as tenant B with tenant A's ids ("METHOD /path").</summary>
    public List<string> ByIdOperations { get; } = [];
    /// <summary>Operations whose body names a parent, sent as B on B's own resource with A's parent id.</summary>
    public List<string> CrossLinkOperations { get; } = [];
    /// <summary>Create operations sent as B with A's parent id.</summary>
    public List<string> ForeignCreates { get; } = [];
    /// <summary>List and search operations (GET without path parameters) called as B.</summary>
    public List<string> ListOperations { get; } = [];
    /// <summary>Writes without path parameters that are not creates (the caller's own singletons, e.g. its tenant's settings), sent as B.</summary>
    public List<string> SingletonWrites { get; } = [];
    public int ListRequests { get; set; }
    /// <summary>A's resources compared before and after the scan (resource name → URL).</summary>
    public Dictionary<string, string> ComparedResources { get; } = [];
    public Dictionary<string, string> SeededA { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> SeededB { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Add(ApiOperation op, string check, string expected, string actual) =>
        Violations.Add(new IsolationViolation(op.Method, op.Path, check, expected, actual));

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Violations.Count} isolation violation(s); checked {ByIdOperations.Count} by-id operations, " +
                        $"{CrossLinkOperations.Count} cross-links, {ForeignCreates.Count} foreign creates, " +
                        $"{ListOperations.Count} lists in {ListRequests} requests, {SingletonWrites.Count} singleton writes, " +
                        $"{ComparedResources.Count} resources of A compared.");
        foreach (var violation in Violations)
            text.AppendLine("  " + violation);
        return text.ToString();
    }
}
