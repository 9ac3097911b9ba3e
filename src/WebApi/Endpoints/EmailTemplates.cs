using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Application.EmailTemplates.CreateEmailTemplate;
using CrmTenancy.Application.EmailTemplates.DeleteEmailTemplate;
using CrmTenancy.Application.EmailTemplates.GetEmailTemplate;
using CrmTenancy.Application.EmailTemplates.ListEmailTemplates;
using CrmTenancy.Application.EmailTemplates.PreviewEmailTemplate;
using CrmTenancy.Application.EmailTemplates.SendTestEmail;
using CrmTenancy.Application.EmailTemplates.UpdateEmailTemplate;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>The tenant's email templates (Liquid with merge fields), their preview for a person, and a test send.</summary>
public sealed class EmailTemplates : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/email-templates").WithTags("Email templates");
        var read = group.MapGroup("").RequireAuthorization(Policies.Read);
        var write = group.MapGroup("").RequireAuthorization(Policies.Write);

        read.MapGet("", List).WithName("ListEmailTemplates");
        read.MapGet("{id:guid}", Get).WithName("GetEmailTemplate");
        read.MapGet("{id:guid}/preview", Preview).WithName("PreviewEmailTemplate");
        write.MapPost("", Create).WithName("CreateEmailTemplate");
        write.MapPut("{id:guid}", Update).WithName("UpdateEmailTemplate");
        write.MapDelete("{id:guid}", Delete).WithName("DeleteEmailTemplate");
        write.MapPost("{id:guid}/test", SendTest).WithName("SendTestEmail");
    }

    public static Task<PagedResult<EmailTemplateSummary>> List(IMediator mediator, CancellationToken cancellationToken,
        string? search = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListEmailTemplates(search, page, pageSize), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetEmailTemplate(id));

    /// <summary>The template merged for one lead or one contact of the tenant (give exactly one).</summary>
    public static Task<EmailPreview> Preview(Guid id, IMediator mediator, CancellationToken cancellationToken, Guid? leadId = null, Guid? contactId = null) =>
        mediator.Send(new PreviewEmailTemplate(id, leadId, contactId), cancellationToken);

    public static Task<IResult> Create(CreateEmailTemplate command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetEmailTemplate(id), "/api/email-templates");

    public static Task<IResult> Update(Guid id, UpdateEmailTemplate command, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) }, new GetEmailTemplate(id));

    public static async Task<NoContent> Delete(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new DeleteEmailTemplate(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>Sends the template to the signed-in caller (202): merged for a lead or contact, or for the caller.</summary>
    public static async Task<Accepted<TestEmailSent>> SendTest(Guid id, SendTestEmail command, IMediator mediator, HttpContext context) =>
        TypedResults.Accepted((string?)null, await mediator.Send(command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) }, context.RequestAborted));
}
