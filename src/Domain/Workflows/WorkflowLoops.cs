using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;

namespace CrmTenancy.Domain.Workflows;

/// <summary>
/// Loops between a tenant's enabled workflows: one workflow's step makes the change another's trigger waits for (it
/// adds the tag, or moves the lead to the status), and so on back to the first. Adding a tag a person has, or moving
/// a lead to the status it is in, is no event, so such a cycle goes round again only when each of its links can fire
/// again: its tag is also removed on the cycle, or the cycle also moves the lead to another status. Only such cycles
/// are loops. A workflow that adds its own trigger tag is refused earlier, by its definition alone.
/// </summary>
public static class WorkflowLoops
{
    public sealed record Candidate(Guid Id, string Name, WorkflowDefinition Definition);

    /// <summary>The names along a loop through <paramref name="start"/>, ending at it again; null when there is none.</summary>
    public static IReadOnlyList<string>? Through(Candidate start, IReadOnlyCollection<Candidate> others)
    {
        var all = others.Where(o => o.Id != start.Id).Prepend(start).ToList();
        var path = new List<Link>();
        var visiting = new HashSet<Guid>();

        IReadOnlyList<string>? Visit(Candidate workflow)
        {
            visiting.Add(workflow.Id);
            foreach (var link in Successors(workflow, all))
            {
                var next = link.Next;
                path.Add(link);
                if (next.Id == start.Id && Repeats(path))
                    return [start.Name, .. path.Select(p => p.Next.Name)];
                if (!visiting.Contains(next.Id) && Visit(next) is { } loop)
                    return loop;
                path.RemoveAt(path.Count - 1);
            }
            visiting.Remove(workflow.Id);
            return null;
        }

        return Visit(start);

        static bool Repeats(List<Link> cycle)
        {
            var steps = cycle.SelectMany(c => c.Next.Definition.Steps).ToList();
            var removed = steps.Where(s => s.Kind == StepKind.RemoveTag).Select(s => CustomerTags.Normalise(s.Tag!)).ToHashSet(StringComparer.Ordinal);
            var moves = steps.Where(s => s.Kind == StepKind.ChangeLeadStatus).Select(s => s.Status!.Value).ToHashSet();
            return cycle.All(link => link.Tag is { } tag ? removed.Contains(tag) : moves.Any(m => m != link.Status));
        }
    }

    /// <summary>One workflow's step fires <see cref="Next"/>'s trigger: by adding <see cref="Tag"/>, or by a move to <see cref="Status"/>.</summary>
    private sealed record Link(Candidate Next, string? Tag, LeadStatus? Status);

    /// <summary>The workflows whose trigger a step of <paramref name="workflow"/> fires.</summary>
    private static IEnumerable<Link> Successors(Candidate workflow, IReadOnlyList<Candidate> all)
    {
        var definition = workflow.Definition;
        var added = definition.Steps.Where(s => s.Kind == StepKind.AddTag).Select(s => CustomerTags.Normalise(s.Tag!)).ToHashSet(StringComparer.Ordinal);
        var moves = definition.Steps.Where(s => s.Kind == StepKind.ChangeLeadStatus).Select(s => s.Status!.Value).ToHashSet();
        var tagTrigger = definition.ForContacts ? TriggerKind.ContactTagAdded : TriggerKind.TagAdded;
        foreach (var next in all)
        {
            var trigger = next.Definition.Trigger;
            if (trigger.Kind == tagTrigger && trigger.Tag is { } tag && added.Contains(CustomerTags.Normalise(tag)))
                yield return new Link(next, CustomerTags.Normalise(tag), null);
            else if (trigger is { Kind: TriggerKind.LeadStatusChanged, Status: LeadStatus status } && moves.Contains(status))
                yield return new Link(next, null, status);
        }
    }
}
