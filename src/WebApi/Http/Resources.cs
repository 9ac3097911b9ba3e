using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Messaging;
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
    /// Runs a creating command and answers 201 with Location and ETag: with the body for a caller that may read
    /// (crm.read), without it for a write-only caller. The resource is the one the command committed, not read again.
    /// </summary>
    public static async Task<IResult> Create<TEntity, TDto>(
        IMediator mediator, HttpContext context, IRequest<Guid> command, Func<Guid, IGetById<TEntity, TDto>> read, string collectionPath)
        where TEntity : class where TDto : class, IProjection<TEntity, TDto>, IVersioned
    {
        var id = await mediator.Send(command, context.RequestAborted);
        var resource = await CommittedAsync(mediator, context, read(id));
        var location = $"{collectionPath}/{id}";
        context.Response.Headers.ETag = ETags.For(resource.Version);
        return CanRead(context) ? TypedResults.Created(location, resource) : TypedResults.Created(location);
    }

    /// <summary>
    /// Runs a command on a resource, then answers with the resource as the command committed it: 200 with the body for
    /// a caller that may read (crm.read), 204 with only the new ETag for a write-only caller.
    /// </summary>
    public static async Task<IResult> AfterChange<TEntity, TDto>(
        IMediator mediator, HttpContext context, IRequest<Unit> command, IGetById<TEntity, TDto> read)
        where TEntity : class where TDto : class, IProjection<TEntity, TDto>, IVersioned
    {
        await mediator.Send(command, context.RequestAborted);
        var resource = await CommittedAsync(mediator, context, read);
        if (CanRead(context))
            return Ok(context, resource);
        context.Response.Headers.ETag = ETags.For(resource.Version);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// What the command committed (<see cref="ICommittedResources"/>); read with the query only when the command did not
    /// save the entity itself (a change made in bulk, say).
    /// </summary>
    private static async Task<TDto> CommittedAsync<TEntity, TDto>(IMediator mediator, HttpContext context, IGetById<TEntity, TDto> read)
        where TEntity : class where TDto : class, IProjection<TEntity, TDto> =>
        context.RequestServices.GetRequiredService<ICommittedResources>().Find<TEntity, TDto>(read.Id)
        ?? await mediator.Send(read, context.RequestAborted);

    private static bool CanRead(HttpContext context) => context.User.HasClaim(ClaimNames.Scope, Scopes.Read);
}
