using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Workflows;
using CrmTenancy.Application.Workflows.AutomationSettings;
using CrmTenancy.Application.Workflows.CancelExecution;
using CrmTenancy.Application.Workflows.CreateWorkflow;
using CrmTenancy.Application.Workflows.DeleteWorkflow;
using CrmTenancy.Application.Workflows.GetAutomationStats;
using CrmTenancy.Application.Workflows.GetExecution;
using CrmTenancy.Application.Workflows.GetTenantAutomation;
using CrmTenancy.Application.Workflows.GetWorkflow;
using CrmTenancy.Application.Workflows.ListExecutions;
using CrmTenancy.Application.Workflows.ListPlatformContacts;
using CrmTenancy.Application.Workflows.ListWorkflows;
using CrmTenancy.Application.Workflows.RetryExecution;
using CrmTenancy.Application.Workflows.SwitchWorkflow;
using CrmTenancy.Application.Workflows.UpdateWorkflow;
using CrmTenancy.Domain.Workflows;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>The tenant's workflows (administrators define them), their executions, and how their emails go out.</summary>
public sealed class Workflows : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflows").WithTags("Workflows");
        // Read by administrators (crm.admin): a workflow carries its webhook secret, and its executions and the platform's
        // contacts name leads that an owner-only member may not see.
        var read = group.MapGroup("").RequireAuthorization(Policies.Admin);
        var admin = group.MapGroup("").RequireAuthorization(Policies.TenantAdmin);

        read.MapGet("", List).WithName("ListWorkflows");
        read.MapGet("{id:guid}", Get).WithName("GetWorkflow");
        admin.MapPost("", Create).WithName("CreateWorkflow").WithRequestExample(Example);
        admin.MapPut("{id:guid}", Update).WithName("UpdateWorkflow").WithRequestExample(Example);
        admin.MapPost("{id:guid}/on", (Guid id, IMediator mediator, HttpContext context) => Switch(id, true, mediator, context)).WithName("TurnWorkflowOn");
        admin.MapPost("{id:guid}/off", (Guid id, IMediator mediator, HttpContext context) => Switch(id, false, mediator, context)).WithName("TurnWorkflowOff");
        admin.MapDelete("{id:guid}", Delete).WithName("DeleteWorkflow");

        var executions = app.MapGroup("/api/workflow-executions").WithTags("Workflows");
        executions.MapGet("", ListExecutions).RequireAuthorization(Policies.Admin).WithName("ListWorkflowExecutions");
        executions.MapGet("{id:guid}", GetExecution).RequireAuthorization(Policies.Admin).WithName("GetWorkflowExecution");
        executions.MapPost("{id:guid}/cancel", (Guid id, IMediator mediator, HttpContext context) =>
            AfterExecutionChange(id, new CancelExecution(id, ETags.ExpectedVersion(context.Request)), mediator, context))
            .RequireAuthorization(Policies.TenantAdmin).WithName("CancelWorkflowExecution");
        executions.MapPost("{id:guid}/retry", (Guid id, IMediator mediator, HttpContext context) =>
            AfterExecutionChange(id, new RetryExecution(id, ETags.ExpectedVersion(context.Request)), mediator, context))
            .RequireAuthorization(Policies.TenantAdmin).WithName("RetryWorkflowExecution");

        // Without a tag, none (as a search without a term).
        app.MapGet("/api/automation/platform-contacts", (string? tag, IMediator mediator, CancellationToken cancellationToken) =>
                string.IsNullOrEmpty(tag) ? Task.FromResult<IReadOnlyList<PlatformContact>>([]) : mediator.Send(new ListPlatformContacts(tag), cancellationToken))
            .RequireAuthorization(Policies.Admin).WithTags("Workflows").WithName("ListPlatformContacts");

        // The automation's part of the dashboard: the lead flow and each workflow's executions and emails.
        app.MapGet("/api/analytics/automation", (IMediator mediator, CancellationToken cancellationToken, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
                mediator.Send(new GetAutomationStats(from, to), cancellationToken))
            .RequireAuthorization(Policies.Admin).WithTags("Analytics").WithName("GetAutomationStats");

        // Platform operators, read-only and audited: one tenant's workflows, templates and latest executions.
        app.MapGet("/api/platform/tenants/{tenantId:guid}/automation", (Guid tenantId, IMediator mediator, CancellationToken cancellationToken, int executions = 50) =>
                mediator.Send(new GetTenantAutomation(tenantId, executions), cancellationToken))
            .RequireAuthorization(Policies.Platform).WithTags("Platform").WithName("PlatformGetTenantAutomation");

        var settings = app.MapGroup("/api/automation/settings").WithTags("Workflows");
        settings.MapGet("", (IMediator mediator, CancellationToken cancellationToken) => mediator.Send(new GetAutomationSettings(), cancellationToken))
            .RequireAuthorization(Policies.Read).WithName("GetAutomationSettings");
        settings.MapPut("", (ChangeAutomationSettings command, IMediator mediator, CancellationToken cancellationToken) => mediator.Send(command, cancellationToken))
            .RequireAuthorization(Policies.TenantAdmin).WithName("ChangeAutomationSettings");
    }

    /// <summary>A workflow whose steps name each other, as the document shows it.</summary>
    private const string Example = """
        {"name":"{text}","enabled":true,"trigger":{"kind":"leadCaptured"},
         "steps":[{"id":"wait","kind":"wait","minutes":60,"next":"check"},
                  {"id":"check","kind":"condition","condition":{"kind":"hasTag","tag":"vip"},"then":"hot","else":"done"},
                  {"id":"hot","kind":"changeLeadStatus","status":"engaged"},
                  {"id":"done","kind":"stop"}]}
        """;

    public static Task<PagedResult<WorkflowDto>> List(IMediator mediator, CancellationToken cancellationToken,
        bool? enabled = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListWorkflows(enabled, page, pageSize), cancellationToken);

    public static Task<IResult> Get(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetWorkflow(id));

    public static Task<IResult> Create(CreateWorkflow command, IMediator mediator, HttpContext context) =>
        Resources.Create(mediator, context, command, id => new GetWorkflow(id), "/api/workflows");

    public static Task<IResult> Update(Guid id, UpdateWorkflow command, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, command with { Id = id, ExpectedVersion = ETags.ExpectedVersion(context.Request) }, new GetWorkflow(id));

    private static Task<IResult> Switch(Guid id, bool on, IMediator mediator, HttpContext context) =>
        Resources.AfterChange(mediator, context, new SwitchWorkflow(id, on, ETags.ExpectedVersion(context.Request)), new GetWorkflow(id));

    public static async Task<NoContent> Delete(Guid id, IMediator mediator, HttpContext context)
    {
        await mediator.Send(new DeleteWorkflow(id, ETags.ExpectedVersion(context.Request)), context.RequestAborted);
        return TypedResults.NoContent();
    }

    public static Task<PagedResult<ExecutionDto>> ListExecutions(IMediator mediator, CancellationToken cancellationToken,
        Guid? workflowId = null, Guid? leadId = null, Guid? contactId = null, string? state = null, int page = 1, int pageSize = Paging.DefaultPageSize) =>
        mediator.Send(new ListExecutions(workflowId, leadId, QueryEnum.Parse<ExecutionState>(state, nameof(state)), page, pageSize, contactId), cancellationToken);

    public static Task<IResult> GetExecution(Guid id, IMediator mediator, HttpContext context) =>
        Resources.Read(mediator, context, new GetExecution(id));

    private static async Task<IResult> AfterExecutionChange(Guid id, IRequest<Unit> command, IMediator mediator, HttpContext context)
    {
        await mediator.Send(command, context.RequestAborted);
        return Resources.Ok(context, await mediator.Send(new GetExecution(id), context.RequestAborted));
    }
}
