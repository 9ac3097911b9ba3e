namespace CrmTenancy.Domain.Plans;

/// <summary>
/// The names of the limits a plan sets: one per countable resource, plus the API request rate. A module that adds a
/// countable resource adds its name here, its limit rows and its counter (<c>TrackUsage</c> in a migration).
/// </summary>
public static class PlanResources
{
    public const string ActiveUsers = "activeUsers";
    public const string Contacts = "contacts";
    public const string Leads = "leads";
    public const string Customers = "customers";
    public const string Campaigns = "campaigns";
    public const string CallsPerMonth = "callsPerMonth";
    public const string EmailTemplates = "emailTemplates";
    public const string Workflows = "workflows";
    public const string EmailsPerMonth = "emailsPerMonth";
    public const string ApiRequestsPerMinute = "apiRequestsPerMinute";

    /// <summary>What a person reads in a refusal: "contacts", "calls per month".</summary>
    public static string Describe(string resource) => resource switch
    {
        ActiveUsers => "active users",
        EmailTemplates => "email templates",
        CallsPerMonth => "calls per month",
        EmailsPerMonth => "emails per month",
        ApiRequestsPerMinute => "API requests per minute",
        _ => resource,
    };
}

/// <summary>
/// A plan a tenant is on: data the platform manages (seeded Free, Basic, Professional, Enterprise), each with one
/// limit per resource. Not tenant-owned: every tenant reads the catalogue.
/// </summary>
public sealed class Plan
{
    public const string Free = "free";
    public const string Basic = "basic";
    public const string Professional = "professional";
    public const string Enterprise = "enterprise";
    public const int CodeMaxLength = 32;

    private readonly List<PlanLimit> _limits = [];

    private Plan() { Code = null!; Name = null!; }

    public string Code { get; private set; }
    public string Name { get; private set; }
    /// <summary>The plans' order from the smallest up.</summary>
    public int Rank { get; private set; }
    public IReadOnlyCollection<PlanLimit> Limits => _limits;

    /// <summary>The plan's maximum for <paramref name="resource"/>: null when unlimited or not limited at all.</summary>
    public int? MaximumOf(string resource) => _limits.FirstOrDefault(l => l.Resource == resource)?.Maximum;
}

/// <summary>One limit of a plan; <see cref="Maximum"/> null is unlimited.</summary>
public sealed class PlanLimit
{
    private PlanLimit() { PlanCode = null!; Resource = null!; }

    public string PlanCode { get; private set; }
    public string Resource { get; private set; }
    public int? Maximum { get; private set; }
}
