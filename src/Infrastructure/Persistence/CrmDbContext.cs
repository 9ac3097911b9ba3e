using System.Linq.Expressions;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Platform;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// The product's context. Its options (and so its interceptors) are built once per process: what differs per unit of
/// work, the tenant and the caller, is the context's own (<see cref="Tenant"/>, <see cref="Actor"/>), and the
/// interceptors read it from the context they serve. A request's context comes from EF Core's context pool: it is
/// bound to the request's tenant and caller when leased (<see cref="Bind"/>) and unbound when given back, so a pooled
/// instance between two requests belongs to no tenant (its tenant filter matches nothing).
/// </summary>
public sealed class CrmDbContext : DbContext
{
    private ITenantContext _tenant;
    private ICurrentUser? _actor;

    /// <summary>
    /// The only constructor (EF Core's pool accepts no other): a new context belongs to no tenant until
    /// <see cref="Bind"/>.
    /// </summary>
    public CrmDbContext(DbContextOptions<CrmDbContext> options) : base(options) => _tenant = new TenantContext();

    /// <summary>The name of the tenant query filter; other filters get their own names so ignoring them never ignores this one.</summary>
    public const string TenantFilter = "Tenant";

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Identity.Server.CrmApplication> OAuthClients => Set<Identity.Server.CrmApplication>();
    public DbSet<Identity.Server.CrmAuthorization> OidcAuthorizations => Set<Identity.Server.CrmAuthorization>();
    public DbSet<Identity.Server.CrmToken> OidcTokens => Set<Identity.Server.CrmToken>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<PlatformAccessRecord> PlatformAccessRecords => Set<PlatformAccessRecord>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<PlatformOperator> PlatformOperators => Set<PlatformOperator>();
    public DbSet<Outbox.OutboxMessage> OutboxMessages => Set<Outbox.OutboxMessage>();
    public DbSet<Outbox.OutboxDelivery> OutboxDeliveries => Set<Outbox.OutboxDelivery>();

    /// <summary>The tenant of this unit of work (none on the platform role and for the owner's tenantless work).</summary>
    internal ITenantContext Tenant => _tenant;

    /// <summary>Who the audit fields name for this unit of work's changes.</summary>
    internal ICurrentUser Actor => _actor ?? SystemActor.Instance;

    /// <summary>Binds a leased context to the unit of work's tenant and caller; nothing of a previous lease is kept.</summary>
    public CrmDbContext Bind(ITenantContext tenant, ICurrentUser? actor)
    {
        _tenant = tenant;
        _actor = actor;
        OpeningCheck = null;
        return this;
    }

    public override void Dispose()
    {
        Unbind();
        base.Dispose();
    }

    /// <summary>
    /// Disposes synchronously. Given back to the pool asynchronously, EF Core closes the connection but keeps its count
    /// of explicit opens (a request that opened it for the token check and never reached its release, say); the next
    /// lease's close would then leave the connection open. The synchronous reset sets the count back to zero; closing
    /// a pooled Npgsql connection without an open transaction does no I/O (the unit of work ends its transaction first;
    /// only a transaction left open by a failure is rolled back here, synchronously).
    /// </summary>
    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Unbind()
    {
        _tenant = new TenantContext();
        _actor = null;
        OpeningCheck = null;
    }

    /// <summary>
    /// A per-request token check to send in the same batch as the statement that sets the tenant, when this context
    /// opens its connection (<see cref="Interceptors.TenantConnectionInterceptor"/>); the request then keeps that
    /// connection open for its work.
    /// </summary>
    internal SubjectCheck? OpeningCheck { get; set; }

    /// <summary>
    /// Read by the tenant query filter on every query. EF Core sends a context member as a parameter, so the
    /// cached model and plans are shared by all tenants and none is baked in. No tenant matches nothing.
    /// </summary>
    internal Guid CurrentTenantId => _tenant.IsResolved ? _tenant.TenantId : Guid.Empty;

    /// <summary>The name of the record visibility filter (owner-only tenants' members); see <see cref="CurrentOwnerScope"/>.</summary>
    public const string OwnerFilter = "Owner";

    /// <summary>
    /// Read by the owner filter: the member whose records alone this scope sees, or none (everything of the tenant).
    /// The specifications apply the same criterion; the filter also covers what they cannot reach, a navigation such
    /// as a customer's contacts (its contact count, the search over its contacts' names).
    /// </summary>
    internal Guid? CurrentOwnerScope => _tenant.OwnerScope;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.HasPostgresExtension("btree_gin");
        modelBuilder.UseOpenIddict<Identity.Server.CrmApplication, Identity.Server.CrmAuthorization, Identity.Server.CrmScope, Identity.Server.CrmToken, Guid>();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);

        foreach (var entityType in modelBuilder.Model.GetEntityTypes()
                     .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) && t.BaseType is null))
        {
            modelBuilder.Entity(entityType.ClrType).HasQueryFilter(TenantFilter, TenantFilterFor(entityType.ClrType));
            if (typeof(IOwnedRecord).IsAssignableFrom(entityType.ClrType))
                modelBuilder.Entity(entityType.ClrType).HasQueryFilter(OwnerFilter, OwnerFilterFor(entityType.ClrType));
        }

        modelBuilder.HasDbFunction(typeof(TextSearch).GetMethod(nameof(TextSearch.Matches))!)
            .HasTranslation(args => new LikeExpression(
                new SqlFunctionExpression("lower", [args[0]], nullable: true, argumentsPropagateNullability: [true], typeof(string), args[0].TypeMapping),
                args[1],
                new SqlConstantExpression(TextSearch.EscapeCharacter.ToString(), args[1].TypeMapping),
                typeMapping: null));
        modelBuilder.HasDbFunction(typeof(TextSearch).GetMethod(nameof(TextSearch.MatchesLowerCase))!)
            .HasTranslation(args => new LikeExpression(
                args[0], args[1], new SqlConstantExpression(TextSearch.EscapeCharacter.ToString(), args[1].TypeMapping), typeMapping: null));

        SnakeCaseNames.Apply(modelBuilder);
    }

    private LambdaExpression TenantFilterFor(Type entityType)
    {
        var entity = Expression.Parameter(entityType, "e");
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentTenantId));
        return Expression.Lambda(Expression.Equal(Expression.Property(entity, nameof(ITenantOwned.TenantId)), current), entity);
    }

    /// <summary>
    /// <c>e => CurrentOwnerScope == null || e.OwnerId == CurrentOwnerScope || e.AssigneeId == CurrentOwnerScope || e.Shared</c>:
    /// what a member reads (a navigation such as a customer's contacts); changes go through the specifications' stricter criterion.
    /// </summary>
    private LambdaExpression OwnerFilterFor(Type entityType)
    {
        var entity = Expression.Parameter(entityType, "e");
        var owner = Expression.Property(Expression.Constant(this), nameof(CurrentOwnerScope));
        var body = Expression.OrElse(
            Expression.Equal(owner, Expression.Constant(null, typeof(Guid?))),
            Expression.OrElse(
                Expression.OrElse(
                    Expression.Equal(Expression.Property(entity, nameof(IOwnedRecord.OwnerId)), owner),
                    Expression.Equal(Expression.Property(entity, nameof(IOwnedRecord.AssigneeId)), owner)),
                Expression.Property(entity, nameof(IOwnedRecord.Shared))));
        return Expression.Lambda(body, entity);
    }
}
