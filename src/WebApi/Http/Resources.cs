using CrmTenancy.Application.Contacts.GetContact;
using CrmTenancy.Application.Customers.GetCustomer;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.WebApi.Auth;
using MediatR;

namespace CrmTenancy.WebApi.Http;

/// <summary>Responses that carry a resource: the body plus its ETag (and Location for a created one).</summary>
public static class Resources
{
    public static IResult Ok<T>(HttpContext context, T resource, int version)
    {
        context.Response.Headers.ETag = ETags.For(version);
        return TypedResults.Ok(resource);
    }

    private static IResult Created<T>(HttpContext context, string location, T resource, int version)
    {
        context.Response.Headers.ETag = ETags.For(version);
        return TypedResults.Created(location, resource);
    }

    /// <summary>
    /// Runs a command on a customer, then answers with the customer as it now is: 200 with the body for a caller
    /// that may read (crm.read), 204 with only the new ETag for a write-only caller.
    /// </summary>
    public static async Task<IResult> AfterCustomerChange(IMediator mediator, HttpContext context, Guid id, IRequest<Unit> command)
    {
        await mediator.Send(command, context.RequestAborted);
        var customer = await mediator.Send(new GetCustomer(id), context.RequestAborted);
        return OkOrNoContent(context, customer, customer.Version);
    }

    /// <summary>Runs a command on a contact, then answers as <see cref="AfterCustomerChange"/> does.</summary>
    public static async Task<IResult> AfterContactChange(IMediator mediator, HttpContext context, Guid id, IRequest<Unit> command)
    {
        await mediator.Send(command, context.RequestAborted);
        var contact = await mediator.Send(new GetContact(id), context.RequestAborted);
        return OkOrNoContent(context, contact, contact.Version);
    }

    /// <summary>201 with the body for a caller that may read; 201 with only Location and ETag otherwise.</summary>
    public static IResult CreatedOrLocation<T>(HttpContext context, string location, T resource, int version)
    {
        if (CanRead(context))
            return Created(context, location, resource, version);
        context.Response.Headers.ETag = ETags.For(version);
        return TypedResults.Created(location);
    }

    private static IResult OkOrNoContent<T>(HttpContext context, T resource, int version)
    {
        if (CanRead(context))
            return Ok(context, resource, version);
        context.Response.Headers.ETag = ETags.For(version);
        return TypedResults.NoContent();
    }

    private static bool CanRead(HttpContext context) => context.User.HasClaim(ClaimNames.Scope, Scopes.Read);
}
