using MediatR;

namespace CrmTenancy.Application.Common.Messaging;

/// <summary>A change: runs inside the transaction behaviour, which saves the unit of work once.</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>;

/// <summary>
/// A read: projects to DTOs without tracking and changes no business data; the transaction behaviour does not save
/// after it. A read may still write its own audit trail: the platform queries record every cross-tenant read in the
/// tenants' access records, through <see cref="Abstractions.IPlatformReadStore"/>, which saves them itself.
/// </summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;

/// <summary>
/// Marks a request that may run without a tenant (sign-up, platform operations). Everything else is
/// tenant-scoped by default and fails in the tenant guard when no tenant is resolved.
/// </summary>
public interface IAllowWithoutTenant;

/// <summary>
/// Marks a platform operator's request: it says explicitly that it crosses tenants. It runs only for a caller
/// with the platform scope and no tenant, reads through <see cref="Abstractions.IPlatformReadStore"/>, and is audited.
/// </summary>
public interface IPlatformRequest : IAllowWithoutTenant;

/// <summary>
/// Marks a request only a tenant's administrator may send (team, clients, settings): a signed-in user with the
/// TenantAdmin role. Members and integrations are refused in the tenant guard, whatever their scopes.
/// </summary>
public interface ITenantAdminRequest;

/// <summary>
/// Marks a command with an effect outside the database (an email): it is never run a second time after an attempt
/// that lost a race (<see cref="Behaviours.TransactionBehaviour{TRequest, TResponse}"/>); the caller gets the 409.
/// </summary>
public interface IRunsOnce;

/// <summary>A command that honours an If-Match precondition on the aggregate it changes.</summary>
public interface IConditionalCommand
{
    int? ExpectedVersion { get; }
}

/// <summary>Wraps a domain event for in-process handlers (MediatR notifications), inside the command's transaction.</summary>
public sealed record DomainEventNotification<TEvent>(TEvent DomainEvent) : INotification;

/// <summary>
/// Marks a body that replaces a whole representation (a PUT). A field left out becomes empty where it has an empty
/// form (text, an optional link); a value that has none (an enum, a number, a flag) must be sent: the API refuses the
/// body (400 naming the field) rather than reset it to a default.
/// </summary>
public interface IReplacement;

/// <summary>
/// A query for one resource by its id. After a command created or changed that resource in the same request, the API
/// answers with what the command committed (<see cref="Abstractions.ICommittedResources"/>) rather than reading it
/// again: no second round trip, and no error answered for a change that is already committed.
/// </summary>
public interface IGetById<TEntity, TDto> : IQuery<TDto> where TDto : Mapping.IProjection<TEntity, TDto>
{
    Guid Id { get; }
}

/// <summary>A request that places a record in one of the tenant's companies; the pipeline checks the company exists for the caller.</summary>
public interface ICompanyReference
{
    Guid? CompanyId { get; }
}
