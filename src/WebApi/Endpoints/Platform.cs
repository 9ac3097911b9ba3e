using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Platform;
using CrmTenancy.Application.Platform.ListPlatformCustomers;
using CrmTenancy.Application.Platform.ListTenants;
using CrmTenancy.Application.Tenants.ListPlatformAccess;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.WebApi.Auth;
using MediatR;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// Platform operators' oversight: read-only, across tenants, every call audited. Only a token with the
/// platform.admin scope and no tenant gets through; the tenant's admins see the audit trail at /api/platform-access.
/// </summary>
public sealed class Platform : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var platform = app.MapGroup("/api/platform").WithTags("Platform").RequireAuthorization(Policies.Platform);
        platform.MapGet("tenants", ListTenants).WithName("PlatformListTenants");
        platform.MapGet("customers", ListCustomers).WithName("PlatformListCustomers");
        platform.MapGet("tenants/{tenantId:guid}/customers", ListTenantCustomers).WithName("PlatformListTenantCustomers");
        platform.MapPost("signing-keys/rotate", RotateSigningKey).WithName("PlatformRotateSigningKey");

        app.MapGet("/api/platform-access", ListAccess).WithTags("Tenant").WithName("ListPlatformAccess")
            .RequireAuthorization(Policies.Admin);
    }

    public static Task<IReadOnlyList<TenantUsageDto>> ListTenants(IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new ListTenants(), cancellationToken);

    public static Task<PagedResult<PlatformCustomerDto>> ListCustomers(
        IMediator mediator, CancellationToken cancellationToken, string? search = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListPlatformCustomers(null, search, page, pageSize), cancellationToken);

    public static Task<PagedResult<PlatformCustomerDto>> ListTenantCustomers(
        Guid tenantId, IMediator mediator, CancellationToken cancellationToken,
        string? search = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListPlatformCustomers(tenantId, search, page, pageSize), cancellationToken);

    public sealed record RotatedKey(string Kid, IReadOnlyList<string> Published);

    /// <summary>
    /// Makes a new signing key current. The previous key stays in the JWKS, and its tokens stay valid, until the last
    /// of them has expired; then it is gone from both.
    /// </summary>
    public static async Task<RotatedKey> RotateSigningKey(SigningKeyStore keys, CancellationToken cancellationToken)
    {
        var current = await keys.RotateAsync(cancellationToken);
        return new RotatedKey(current.KeyId, (await keys.KeysAsync(cancellationToken)).Select(k => k.KeyId).ToList());
    }

    public static Task<PagedResult<PlatformAccessDto>> ListAccess(
        IMediator mediator, CancellationToken cancellationToken, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListPlatformAccess(page, pageSize), cancellationToken);
}
