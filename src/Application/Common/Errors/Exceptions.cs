namespace CrmTenancy.Application.Common.Errors;

/// <summary>
/// The resource does not exist for this caller. A foreign tenant's id raises exactly the same exception as a
/// missing one, so the response cannot reveal that the other tenant's row exists.
/// </summary>
public sealed class NotFoundException(string resource, Guid id) : Exception($"{resource} {id} was not found.")
{
    public string Resource { get; } = resource;
}

/// <summary>The request conflicts with current state (a duplicate business key, a refused transition).</summary>
public sealed class ConflictException(string code, string message) : Exception(message)
{
    /// <summary>The change lost a race with another one and was rolled back whole: retrying it is safe.</summary>
    public const string ConcurrentUpdate = "concurrent-update";

    public string Code { get; } = code;
}

/// <summary>An If-Match precondition did not hold: the resource changed since the caller read it.</summary>
public sealed class PreconditionFailedException(string resource)
    : Exception($"The {resource} was changed by someone else; fetch it again and retry with its current ETag.");

/// <summary>A tenant-scoped request arrived without a resolved tenant.</summary>
public sealed class TenantRequiredException() : Exception("This operation requires a tenant, and the caller has none.");

/// <summary>The caller may not do this (only for the caller's own scope of data; foreign data is not found instead).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>
/// A create would take the tenant past a limit of its plan (403 <c>plan-limit</c>); nothing was written.
/// <paramref name="used"/> is the usage before the refused create.
/// </summary>
public sealed class PlanLimitExceededException(string resource, string plan, int limit, int used)
    : Exception($"The {plan} plan allows {limit} {Domain.Plans.PlanResources.Describe(resource)}, and {used} are in use; " +
                "remove some or move to a larger plan.")
{
    public string Resource { get; } = resource;
    public string Plan { get; } = plan;
    public int Limit { get; } = limit;
    public int Used { get; } = used;
}
