using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Events;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Workflows;

namespace CrmTenancy.Application.Workflows;

/// <summary>
/// Starts the tenant's enabled workflows whose trigger an event of its leads or customers matches, after the change
/// committed (the outbox delivers each event once per consumer; the execution's unique key on workflow, person and event
/// is the second guard). A customer's tag starts a contact workflow once for each of the customer's contacts. The event
/// comes from the tenant's own outbox, in a job of that tenant: a trigger never sees another's.
/// </summary>
public sealed class WorkflowTriggers(
    IReadRepository<Workflow> workflows, IRepository<WorkflowExecution> executions, IRepository<WorkflowStepRun> runs,
    IReadRepository<Contact> contacts, ITenantContext tenant, TimeProvider clock)
    : IIntegrationEventConsumer<LeadCreated>, IIntegrationEventConsumer<LeadTagged>, IIntegrationEventConsumer<LeadStatusChanged>,
        IIntegrationEventConsumer<CustomerTagged>
{
    public Task HandleAsync(LeadCreated integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
        StartAsync(new TriggeredWorkflowsSpecification(tenant, TriggerKind.LeadCaptured), integrationEvent.LeadId, context, cancellationToken);

    public Task HandleAsync(LeadTagged integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
        StartAsync(new TriggeredWorkflowsSpecification(tenant, TriggerKind.TagAdded, tags: [.. integrationEvent.Tags.Select(CustomerTags.Normalise)]),
            integrationEvent.LeadId, context, cancellationToken);

    public Task HandleAsync(LeadStatusChanged integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
        StartAsync(new TriggeredWorkflowsSpecification(tenant, TriggerKind.LeadStatusChanged, status: integrationEvent.To), integrationEvent.LeadId, context, cancellationToken);

    public async Task HandleAsync(CustomerTagged integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        var matching = await workflows.ListAsync(
            new TriggeredWorkflowsSpecification(tenant, TriggerKind.ContactTagAdded, tags: [.. integrationEvent.Tags.Select(CustomerTags.Normalise)]), cancellationToken);
        if (matching.Count == 0)
            return;
        foreach (var contact in await contacts.ListAsync(new ContactsOfTaggedCustomerSpecification(tenant, integrationEvent.CustomerId), cancellationToken))
            Start(matching, contact.Id, context);
    }

    private async Task StartAsync(TriggeredWorkflowsSpecification matching, Guid leadId, IntegrationEventContext context, CancellationToken cancellationToken) =>
        Start(await workflows.ListAsync(matching, cancellationToken), leadId, context);

    private void Start(IEnumerable<Workflow> matching, Guid personId, IntegrationEventContext context)
    {
        var now = clock.GetUtcNow();
        foreach (var workflow in matching)
        {
            var (execution, first) = WorkflowExecution.Start(workflow, personId, context.MessageId, now);
            executions.Add(execution);
            runs.Add(first);
        }
    }
}
