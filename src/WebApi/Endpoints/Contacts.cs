using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Contacts;
using CrmTenancy.Application.Contacts.CreateContact;
using CrmTenancy.Application.Contacts.DeleteContact;
using CrmTenancy.Application.Contacts.GetContact;
using CrmTenancy.Application.Contacts.ListContacts;
using CrmTenancy.Application.Contacts.SetPrimaryContact;
using CrmTenancy.Application.Contacts.UpdateContact;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

public sealed class Contacts : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contacts").WithTags("Contacts");
        var read = group.MapGroup("").RequireAuthorization(Policies.Read);
        var write = group.MapGroup("").RequireAuthorization(Policies.Write);

        read.MapGet("", List).WithName("ListContacts");
        read.MapGet("{id:guid}", Get).WithName("GetContact");
        write.MapPost("", Create).WithName("CreateContact");
        write.MapPut("{id:guid}", Update).WithName("UpdateContact");
        write.MapDelete("{id:guid}", Delete).WithName("DeleteContact");
        write.MapPost("{id:guid}/primary", SetPrimary).WithName("SetPrimaryContact");
    }

    public static Task<PagedResult<ContactDto>> List(
        IMediator mediator, CancellationToken cancellationToken,
        string? search = null, Guid? customerId = null, string? type = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(
            new ListContacts(new ContactFilter(search, customerId, QueryEnum.Parse<ContactType>(type, nameof(type))), page, pageSize),
            cancellationToken);

    public static async Task<IResult> Get(Guid id, IMediator mediator, HttpContext context)
    {
        var contact = await mediator.Send(new GetContact(id), context.RequestAborted);
        return Resources.Ok(context, contact, contact.Version);
    }

    public static async Task<IResult> Create(CreateContact command, IMediator mediator, HttpContext context)
    {
        var id = await mediator.Send(command, context.RequestAborted);
        var contact = await mediator.Send(new GetContact(id), context.RequestAborted);
        return Resources.CreatedOrLocation(context, $"/api/contacts/{id}", contact, contact.Version);
    }

    public static Task<IResult> Update(Guid id, UpdateContact command, IMediator mediator, HttpContext context) =>
        Resources.AfterContactChange(mediator, context, id, command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) });

    public static async Task<NoContent> Delete(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new DeleteContact(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }

    public static Task<IResult> SetPrimary(Guid id, IMediator mediator, HttpContext context) =>
        Resources.AfterContactChange(mediator, context, id, new SetPrimaryContact(id, ETags.ExpectedVersion(context.Request)));
}
