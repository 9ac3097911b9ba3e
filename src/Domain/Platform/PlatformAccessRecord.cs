using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Platform;

/// <summary>
/// One platform operator's read of one tenant's data: who, when, what. Written by the platform path for every
/// tenant whose data a call returned; the tenant's admins list them. Append-only.
/// </summary>
public sealed class PlatformAccessRecord : Entity, ITenantOwned
{
    public const int ActorMaxLength = FieldLengths.Actor;
    public const int ActionMaxLength = 100;
    public const int DetailsMaxLength = 1000;

    private PlatformAccessRecord() { Actor = null!; Action = null!; }

    public Guid TenantId { get; private set; }
    public string Actor { get; private set; }
    public string Action { get; private set; }
    public string? Details { get; private set; }
    public DateTimeOffset At { get; private set; }

    public static PlatformAccessRecord Create(Guid tenantId, string actor, string action, string? details, DateTimeOffset at) =>
        new()
        {
            TenantId = Guard.Tenant(tenantId),
            Actor = Guard.Required(actor, ActorMaxLength, "actor"),
            Action = Guard.Required(action, ActionMaxLength, "action"),
            Details = Guard.Optional(details, DetailsMaxLength, "details"),
            At = at,
        };
}
