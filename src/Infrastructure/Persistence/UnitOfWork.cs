using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Saves a command's changes once. Domain events are published first, so their in-process handlers' writes join
/// the same save; database refusals that callers can cause become typed outcomes (409, 412).
/// </summary>
public sealed class UnitOfWork(CrmDbContext db, IMediator mediator, Preconditions preconditions) : IUnitOfWork
{
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        await PublishDomainEventsAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            // 412 answers a precondition the caller sent; a race the caller did not guard against is a 409.
            var resource = exception.Entries.FirstOrDefault()?.Metadata.ClrType.Name ?? "resource";
            if (preconditions.Given)
                throw new PreconditionFailedException(resource);
            throw new ConflictException("concurrent-update", $"The {resource.ToLowerInvariant()} was changed at the same time by another request; retry.");
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException postgres && ConflictFor(postgres) is { } conflict)
        {
            throw conflict;
        }
        catch (PostgresException postgres) when (ConflictFor(postgres) is { } conflict)
        {
            // Deferred constraints are checked at COMMIT, where the error is not wrapped in a DbUpdateException.
            throw conflict;
        }
    }

    private async Task PublishDomainEventsAsync(CancellationToken cancellationToken)
    {
        // Handlers may raise further events; drain until none are left.
        while (true)
        {
            var aggregates = db.ChangeTracker.Entries<AggregateRoot>()
                .Select(e => e.Entity).Where(a => a.DomainEvents.Count > 0).ToList();
            if (aggregates.Count == 0)
                return;
            var events = aggregates.SelectMany(a => a.DomainEvents).ToList();
            aggregates.ForEach(a => a.ClearDomainEvents());
            foreach (var domainEvent in events)
            {
                var notification = (INotification)Activator.CreateInstance(
                    typeof(DomainEventNotification<>).MakeGenericType(domainEvent.GetType()), domainEvent)!;
                await mediator.Publish(notification, cancellationToken);
            }
        }
    }

    private static ConflictException? ConflictFor(PostgresException exception) => exception.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => new ConflictException(UniqueCode(exception.ConstraintName), DescribeUnique(exception.ConstraintName)),
        PostgresErrorCodes.ExclusionViolation => new ConflictException("duplicate", DescribeUnique(exception.ConstraintName)),
        PostgresErrorCodes.ForeignKeyViolation => new ConflictException("reference",
            "The change refers to a record that no longer exists, or is still referred to by another record."),
        _ => null,
    };

    private static string UniqueCode(string? constraint) => constraint switch
    {
        "ix_tenants_slug" => "slug-taken",
        "ix_users_tenant_id_normalized_email" => "user-exists",
        _ => "duplicate",
    };

    private static string DescribeUnique(string? constraint) => constraint switch
    {
        "ix_users_tenant_id_normalized_email" => "A user of this tenant already has this email.",
        "ix_contacts_tenant_id_normalized_email" => "Another contact of this tenant already has this email.",
        "ex_contacts_one_primary_per_customer" => "The customer already has a primary contact.",
        "ix_tenants_slug" => "A tenant with this slug already exists.",
        _ => "A record with the same unique value already exists.",
    };
}

/// <summary>Whether the current request sent an If-Match precondition (scoped).</summary>
public sealed class Preconditions
{
    public bool Given { get; set; }
}
