using System.Text.Json.Serialization;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Customers;
using CrmTenancy.Application.Customers.AssignCustomer;
using CrmTenancy.Application.Customers.ChangeCustomerStatus;
using CrmTenancy.Application.Customers.CreateCustomer;
using CrmTenancy.Application.Customers.DeleteCustomer;
using CrmTenancy.Application.Customers.GetCustomer;
using CrmTenancy.Application.Customers.GetCustomerStats;
using CrmTenancy.Application.Customers.ListCustomers;
using CrmTenancy.Application.Customers.RecordPurchase;
using CrmTenancy.Application.Customers.TagCustomer;
using CrmTenancy.Application.Customers.UpdateCustomer;
using CrmTenancy.Application.Recommendations;
using CrmTenancy.Application.Recommendations.GetRecommendations;
using CrmTenancy.Domain.Customers;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

public sealed class Customers : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/customers").WithTags("Customers");
        var read = group.MapGroup("").RequireAuthorization(Policies.Read);
        var write = group.MapGroup("").RequireAuthorization(Policies.Write);

        read.MapGet("", List).WithName("ListCustomers");
        read.MapGet("{id:guid}", Get).WithName("GetCustomer");
        read.MapTimeline<Customer>();
        write.MapSharing(id => new GetCustomer(id));
        read.MapGet("{id:guid}/recommendations", Recommendations).WithName("GetCustomerRecommendations");
        read.MapGet("stats", Stats).WithName("GetCustomerStats");
        write.MapPost("", Create).WithName("CreateCustomer");
        write.MapPut("{id:guid}", Update).WithName("UpdateCustomer");
        write.MapDelete("{id:guid}", Delete).WithName("DeleteCustomer");
        write.MapPost("{id:guid}/status", ChangeStatus).WithName("ChangeCustomerStatus");
        write.MapPut("{id:guid}/assignee", Assign).WithName("AssignCustomer");
        write.MapPost("{id:guid}/tags", AddTags).WithName("AddCustomerTags");
        write.MapDelete("{id:guid}/tags/{tag}", RemoveTag).WithName("RemoveCustomerTag");
        write.MapPost("{id:guid}/purchases", RecordPurchase).WithName("RecordCustomerPurchase");
    }

    public static Task<PagedResult<CustomerDto>> List(
        IMediator mediator, CancellationToken cancellationToken,
        string? status = null, string? source = null, string? tag = null, Guid? assigneeId = null,
        string? search = null, string? sort = null, string? direction = null,
        int page = 1, int pageSize = Paging.DefaultPageSize, Guid? companyId = null) =>
        mediator.Send(new ListCustomers(
            new CustomerFilter(
                QueryEnum.Parse<CustomerStatus>(status, nameof(status)),
                QueryEnum.Parse<CustomerSource>(source, nameof(source)),
                tag,
                assigneeId,
                search,
                QueryEnum.Parse<CustomerSort>(sort, nameof(sort)) ?? CustomerSort.Name,
                QueryEnum.Parse<SortDirection>(direction, nameof(direction)) ?? SortDirection.Asc,
                companyId),
            page,
            pageSize), cancellationToken);

    public static Task<CustomerStats> Stats(IMediator mediator, CancellationToken cancellationToken, Guid? companyId = null) =>
        mediator.Send(new GetCustomerStats(companyId), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetCustomer(id));

    public static Task<IResult> Create(CreateCustomer command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetCustomer(id), "/api/customers");

    public static Task<IResult> Update(Guid id, UpdateCustomer command, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) }, new GetCustomer(id));

    public static async Task<NoContent> Delete(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new DeleteCustomer(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }

    public sealed record StatusChange([property: JsonRequired] CustomerStatus Status);

    public static Task<IResult> ChangeStatus(Guid id, StatusChange body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new ChangeCustomerStatus(id, body.Status, ETags.ExpectedVersion(context.Request)), new GetCustomer(id));

    public static Task<IResult> Assign(Guid id, Assignment body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new AssignCustomer(id, body.AssigneeId, ETags.ExpectedVersion(context.Request)), new GetCustomer(id));

    public static Task<IResult> AddTags(Guid id, TagList body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new AddCustomerTags(id, body.Tags, ETags.ExpectedVersion(context.Request)), new GetCustomer(id));

    public static Task<IResult> RemoveTag(Guid id, string tag, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new RemoveCustomerTag(id, tag, ETags.ExpectedVersion(context.Request)), new GetCustomer(id));

    public sealed record Purchase(decimal Amount, DateOnly? On);

    public static Task<IResult> RecordPurchase(Guid id, Purchase body, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new RecordPurchase(id, body.Amount, body.On, ETags.ExpectedVersion(context.Request)), new GetCustomer(id));

    /// <summary>The next best actions for the customer, by code; none is an empty list.</summary>
    public static Task<IReadOnlyList<Recommendation>> Recommendations(Guid id, IMediator mediator, CancellationToken cancellationToken) =>
        mediator.Send(new GetRecommendations(id), cancellationToken);
}
