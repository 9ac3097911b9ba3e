using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Workflows;

namespace CrmTenancy.Application.Workflows;

/// <summary>
/// Starts the tenant's enabled workflows whose trigger an event of its leads matches, after the change committed (the
/// outbox delivers each event once per consumer; the execution's unique key on workflow, lead and event is the second
/// guard). The event comes from the tenant's own outbox, in a job of that tenant: a trigger never sees another's.
/// </summary>
public sealed class WorkflowTriggers(
    IReadRepository<Workflow> workflows, IRepository<WorkflowExecution> executions, IRepository<WorkflowStepRun> runs,
    ITenantContext tenant, TimeProvider clock)
    : IIntegrationEventConsumer<LeadCreated>, IIntegrationEventConsumer<LeadTagged>, IIntegrationEventConsumer<LeadStatusChanged>
{
    public Task HandleAsync(LeadCreated integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
        StartAsync(new TriggeredWorkflowsSpecification(tenant, TriggerKind.LeadCaptured), integrationEvent.LeadId, context, cancellationToken);

    public Task HandleAsync(LeadTagged integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
        StartAsync(new TriggeredWorkflowsSpecification(tenant, TriggerKind.TagAdded, tags: [.. integrationEvent.Tags.Select(CustomerTags.Normalise)]),
            integrationEvent.LeadId, context, cancellationToken);

    public Task HandleAsync(LeadStatusChanged integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
        StartAsync(new TriggeredWorkflowsSpecification(tenant, TriggerKind.LeadStatusChanged, status: integrationEvent.To), integrationEvent.LeadId, context, cancellationToken);

    private async Task StartAsync(TriggeredWorkflowsSpecification matching, Guid leadId, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var workflow in await workflows.ListAsync(matching, cancellationToken))
        {
            var (execution, first) = WorkflowExecution.Start(workflow, leadId, context.MessageId, now);
            executions.Add(execution);
            runs.Add(first);
        }
    }
}
