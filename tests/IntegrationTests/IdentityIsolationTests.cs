using CrmTenancy.Application.Common.Security;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmTenancy.IntegrationTests;

/// <summary>
/// The identity tables under the database's own lock: users and invitations like any tenant table; codes and
/// refresh tokens of a tenant's users by tenant, and those of platform operators (no tenant) only to connections
/// without one; operators' accounts never to a tenant's connection. And Identity's store, per tenant.
/// </summary>
public sealed class IdentityIsolationTests(PersistenceFixture fixture) : PersistenceTest(fixture)
{
    [Theory]
    [InlineData("users")]
    [InlineData("invitations")]
    [InlineData("oidc_authorizations")]
    [InlineData("oidc_tokens")]
    public async Task The_app_role_sees_only_its_tenants_identity_rows(string table)
    {
        await SeedAsync();
        await using (var owner = await OpenAsync(Fixture.Database.ConnectionString))
            Assert.True(await CountAsync(owner, $"SELECT count(*) FROM {table} WHERE tenant_id = '{TenantB}'") > 0);

        await using var app = await AppConnectionAsync(TenantA);
        Assert.Equal(0, await CountAsync(app, $"SELECT count(*) FROM {table} WHERE tenant_id IS DISTINCT FROM '{TenantA}'"));
        Assert.True(await CountAsync(app, $"SELECT count(*) FROM {table}") > 0);
    }

    [Theory]
    [InlineData("oidc_authorizations")]
    [InlineData("oidc_tokens")]
    public async Task Without_a_tenant_the_app_role_sees_only_the_operators_grants(string table)
    {
        await SeedAsync();
        await using var app = await AppConnectionAsync(null);
        Assert.Equal(1, await CountAsync(app, $"SELECT count(*) FROM {table}"));
        Assert.Equal(0, await CountAsync(app, $"SELECT count(*) FROM {table} WHERE tenant_id IS NOT NULL"));
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Operators_accounts_are_invisible_to_a_tenants_connection_and_visible_without_one()
    {
        await SeedAsync();
        await using (var tenant = await AppConnectionAsync(TenantA))
            Assert.Equal(0, await CountAsync(tenant, "SELECT count(*) FROM platform_operators"));
        await using var none = await AppConnectionAsync(null);
        Assert.Equal(1, await CountAsync(none, "SELECT count(*) FROM platform_operators"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_app_role_cannot_write_a_refresh_token_for_another_tenant_or_for_no_tenant(bool toOtherTenant)
    {
        await SeedAsync();
        await using var app = await AppConnectionAsync(TenantA);
        await using var insert = new NpgsqlCommand(
            "INSERT INTO oidc_tokens SELECT (jsonb_populate_record(t, jsonb_build_object('id', gen_random_uuid(), 'tenant_id', @tenant, " +
            "'reference_id', md5(random()::text)))).* FROM oidc_tokens t LIMIT 1", app);
        insert.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = toOtherTenant ? TenantB : DBNull.Value });
        var refused = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task The_same_email_is_a_different_user_in_each_tenant_and_the_store_finds_only_its_own()
    {
        await SeedAsync();
        await using (var a = Fixture.For(TenantA))
        {
            var found = await a.Get<UserManager<User>>().FindByEmailAsync("same@example.com");
            Assert.NotNull(found);
            Assert.Equal(TenantA, found.TenantId);
        }
        await using (var b = Fixture.For(TenantB))
        {
            var found = await b.Get<UserManager<User>>().FindByEmailAsync("SAME@example.com");
            Assert.NotNull(found);
            Assert.Equal(TenantB, found.TenantId);
        }
        await using var none = Fixture.For(null);
        Assert.Null(await none.Get<UserManager<User>>().FindByEmailAsync("same@example.com"));
    }

    [Fact]
    public async Task A_second_user_with_the_same_email_in_one_tenant_is_refused_by_identity_and_by_the_index()
    {
        await SeedAsync();
        await using (var scope = Fixture.For(TenantA))
        {
            var result = await scope.Get<UserManager<User>>().CreateAsync(User.Create(TenantA, "Same@Example.com", "Twin", UserRole.Member), "long enough password");
            Assert.False(result.Succeeded);
            Assert.Contains(result.Errors, e => e.Code == "DuplicateEmail");
        }
        await using var raw = Fixture.For(TenantA);
        raw.Db.Users.Add(User.Create(TenantA, "same@example.com", "Twin", UserRole.Member));
        var conflict = await Assert.ThrowsAsync<DbUpdateException>(() => raw.Db.SaveChangesAsync());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(conflict.InnerException).SqlState);
    }

    /// <summary>Per tenant: a user with the same email, an invitation, a code and a refresh token; and one operator with a code and a refresh token.</summary>
    private async Task SeedAsync()
    {
        var now = Fixture.Clock.Now;
        foreach (var tenant in new[] { TenantA, TenantB })
        {
            await using var scope = Fixture.For(tenant);
            var user = User.Create(tenant, "same@example.com", "Same person", UserRole.Member);
            scope.Db.Users.Add(user);
            scope.Db.Invitations.Add(Invitation.Create(tenant, "new@example.com", UserRole.Member, OpaqueHandle.Create(tenant).Hash, "sealed", null, now));
            AddGrants(scope.Db, tenant, user.Id, now);
            await scope.Db.SaveChangesAsync();
        }
        await using var owner = Fixture.Database.Owner();
        var account = PlatformOperator.Create("ops@example.com", "Operator");
        owner.PlatformOperators.Add(account);
        AddGrants(owner, null, account.Id, now);
        await owner.SaveChangesAsync();
    }

    private static void AddGrants(CrmDbContext db, Guid? tenant, Guid subject, DateTimeOffset now)
    {
        var authorization = new CrmAuthorization
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, Subject = subject.ToString(), Status = "valid", Type = "ad-hoc", CreationDate = now.UtcDateTime,
            ConcurrencyToken = Guid.NewGuid().ToString(),
        };
        db.OidcAuthorizations.Add(authorization);
        db.OidcTokens.Add(new CrmToken
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, Subject = subject.ToString(), Status = "valid", Type = "refresh_token", Authorization = authorization,
            ReferenceId = OpaqueHandle.Create(tenant).Hash, CreationDate = now.UtcDateTime, ExpirationDate = now.UtcDateTime.AddDays(14),
            ConcurrencyToken = Guid.NewGuid().ToString(),
        });
    }

    private async Task<NpgsqlConnection> AppConnectionAsync(Guid? tenantId)
    {
        var connection = await OpenAsync(DatabaseConnections.AsRole(Fixture.Database.ConnectionString, DatabaseConnections.AppRole));
        await using var set = new NpgsqlCommand($"SELECT set_config('{TenantConnectionInterceptor.Setting}', @tenant, false)", connection);
        set.Parameters.AddWithValue("tenant", tenantId?.ToString() ?? "");
        await set.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
