using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Workflows;
using FluentValidation;

namespace CrmTenancy.Application.Workflows;

internal static class WorkflowRules
{
    /// <summary>Whether two definitions say the same (records hold their steps in lists, which compare by reference).</summary>
    public static bool SameDefinition(WorkflowDefinition a, WorkflowDefinition b) =>
        System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);

    /// <summary>The name, then the whole definition (<see cref="WorkflowDefinition.Problems"/>), each problem on its field.</summary>
    public static void ApplyWorkflowInputRules<T>(this AbstractValidator<T> validator) where T : WorkflowInput
    {
        validator.RuleFor(x => x.Name).NotEmpty().MaximumLength(Workflow.NameMaxLength);
        validator.RuleFor(x => x).Custom((input, context) =>
        {
            if (input.Trigger is null || input.Steps is null)
            {
                context.AddFailure(input.Trigger is null ? "trigger" : "steps", "A workflow has a trigger and steps.");
                return;
            }
            foreach (var (field, message) in input.ToDefinition().Problems())
                context.AddFailure(field, message);
        });
    }

    /// <summary>
    /// An enabled workflow may not close a loop with the tenant's other enabled workflows (<see cref="WorkflowLoops"/>):
    /// a 409 naming the workflows around it, and nothing is saved.
    /// </summary>
    public static async Task EnsureNoLoopAsync(this Workflow workflow, IReadRepository<Workflow> workflows, ITenantContext tenant, CancellationToken cancellationToken)
    {
        if (!workflow.Enabled)
            return;
        var others = await workflows.ListAsync(new EnabledWorkflowsSpecification(tenant), cancellationToken);
        if (WorkflowLoops.Through(new WorkflowLoops.Candidate(workflow.Id, workflow.Name, workflow.Definition),
                [.. others.Select(o => new WorkflowLoops.Candidate(o.Id, o.Name, o.Definition))]) is { } loop)
            throw new ConflictException(WorkflowConflicts.Loop.Code, $"{WorkflowConflicts.Loop.Message} {string.Join(" -> ", loop)}.");
    }

    /// <summary>Every template the definition sends is the tenant's: a foreign or missing one is a 404 and nothing is saved.</summary>
    public static async Task EnsureTemplatesAsync(this WorkflowDefinition definition, IReadRepository<EmailTemplate> templates, ITenantContext tenant, CancellationToken cancellationToken)
    {
        foreach (var id in definition.TemplateIds)
        {
            if (!await templates.AnyAsync(new ReadByIdSpecification<EmailTemplate>(tenant, id), cancellationToken))
                throw new NotFoundException(nameof(EmailTemplate), id);
        }
    }
}
