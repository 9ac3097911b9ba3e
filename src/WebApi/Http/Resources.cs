using CrmTenancy.Application.Contacts.GetContact;
using CrmTenancy.Application.Customers.GetCustomer;
using MediatR;

namespace CrmTenancy.WebApi.Http;

/// <summary>Responses that carry a resource: the body plus its ETag (and Location for a created one).</summary>
public static class Resources
{
    public static IResult Ok<T>(HttpContext context, T resource, uint version)
    {
        context.Response.Headers.ETag = ETags.For(version);
        return TypedResults.Ok(resource);
    }

    public static IResult Created<T>(HttpContext context, string location, T resource, uint version)
    {
        context.Response.Headers.ETag = ETags.For(version);
        return TypedResults.Created(location, resource);
    }

    /// <summary>Runs a command on a customer, then answers with the customer as it now is.</summary>
    public static async Task<IResult> AfterCustomerChange(IMediator mediator, HttpContext context, Guid id, IRequest<Unit> command)
    {
        await mediator.Send(command, context.RequestAborted);
        var customer = await mediator.Send(new GetCustomer(id), context.RequestAborted);
        return Ok(context, customer, customer.Version);
    }

    /// <summary>Runs a command on a contact, then answers with the contact as it now is.</summary>
    public static async Task<IResult> AfterContactChange(IMediator mediator, HttpContext context, Guid id, IRequest<Unit> command)
    {
        await mediator.Send(command, context.RequestAborted);
        var contact = await mediator.Send(new GetContact(id), context.RequestAborted);
        return Ok(context, contact, contact.Version);
    }
}
