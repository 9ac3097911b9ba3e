using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.WebApi.Auth;
using MediatR;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// Responses that carry a versioned resource: the body plus its ETag (and Location for a created one). One generic
/// path for every module: an endpoint names its command and the query that reads the resource back.
/// </summary>
public static class Resources
{
    /// <summary>200 with the resource and its ETag.</summary>
    public static IResult Ok<T>(HttpContext context, T resource) where T : IVersioned
    {
        context.Response.Headers.ETag = ETags.For(resource.Version);
        return TypedResults.Ok(resource);
    }

    /// <summary>Reads a resource and answers it with its ETag.</summary>
    public static async Task<IResult> Read<T>(IMediator mediator, HttpContext context, IRequest<T> read) where T : IVersioned =>
        Ok(context, await mediator.Send(read, context.RequestAborted));

    /// <summary>
    /// Runs a creating command, reads the new resource back, and answers 201 with Location and ETag: with the body
    /// for a caller that may read (crm.read), without it for a write-only caller.
    /// </summary>
    public static async Task<IResult> Create<T>(
        IMediator mediator, HttpContext context, IRequest<Guid> command, Func<Guid, IRequest<T>> read, string collectionPath)
        where T : IVersioned
    {
        var id = await mediator.Send(command, context.RequestAborted);
        var resource = await mediator.Send(read(id), context.RequestAborted);
        var location = $"{collectionPath}/{id}";
        context.Response.Headers.ETag = ETags.For(resource.Version);
        return CanRead(context) ? TypedResults.Created(location, resource) : TypedResults.Created(location);
    }

    /// <summary>
    /// Runs a command on a resource, then answers with the resource as it now is: 200 with the body for a caller
    /// that may read (crm.read), 204 with only the new ETag for a write-only caller.
    /// </summary>
    public static async Task<IResult> AfterChange<T>(IMediator mediator, HttpContext context, IRequest<Unit> command, IRequest<T> read)
        where T : IVersioned
    {
        await mediator.Send(command, context.RequestAborted);
        var resource = await mediator.Send(read, context.RequestAborted);
        if (CanRead(context))
            return Ok(context, resource);
        context.Response.Headers.ETag = ETags.For(resource.Version);
        return TypedResults.NoContent();
    }

    private static bool CanRead(HttpContext context) => context.User.HasClaim(ClaimNames.Scope, Scopes.Read);
}
