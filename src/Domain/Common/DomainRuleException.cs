namespace CrmTenancy.Domain.Common;

/// <summary>A change the domain refuses because it would break one of its rules.</summary>
public sealed class DomainRuleException(string rule, string message) : Exception(message)
{
    /// <summary>A stable, machine-readable name of the rule (used as the ProblemDetails type suffix).</summary>
    public string Rule { get; } = rule;
}
