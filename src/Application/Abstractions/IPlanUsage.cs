namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// Metered limits taken by the code that uses them (an email a workflow sends) rather than counted by the database
/// on a row's insert: in the caller's transaction, under the same counter row lock, so two takers never both get the
/// last unit.
/// </summary>
public interface IPlanUsage
{
    /// <summary>
    /// Adds <paramref name="amount"/> to the current tenant's usage of <paramref name="resource"/> in this calendar month
    /// when its plan's limit allows it, and says whether it did.
    /// </summary>
    Task<bool> TryUseThisMonthAsync(string resource, int amount, CancellationToken cancellationToken);
}
