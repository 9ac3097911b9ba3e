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
        read.MapTimeline<Contact>();
        write.MapSharing(id => new GetContact(id));
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

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetContact(id));

    public static Task<IResult> Create(CreateContact command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetContact(id), "/api/contacts");

    public static Task<IResult> Update(Guid id, UpdateContact command, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) }, new GetContact(id));

    public static async Task<NoContent> Delete(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new DeleteContact(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }

    public static Task<IResult> SetPrimary(Guid id, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new SetPrimaryContact(id, ETags.ExpectedVersion(context.Request)), new GetContact(id));
}
