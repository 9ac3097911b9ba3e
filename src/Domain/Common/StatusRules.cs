namespace CrmTenancy.Domain.Common;

/// <summary>The one refusal of a status machine's missing move: 409 with the aggregate's rule code.</summary>
public static class StatusRules
{
    /// <summary>Refuses the move from <paramref name="current"/> to <paramref name="to"/> unless it starts from one of <paramref name="from"/>.</summary>
    public static void Require<TStatus>(string rule, string what, TStatus current, TStatus to, params TStatus[] from) where TStatus : struct, Enum
    {
        if (!from.Contains(current))
            throw new DomainRuleException(rule, $"A {what} cannot move from {current} to {to}.");
    }
}
