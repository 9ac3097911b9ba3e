using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Leads.CaptureLead;

/// <summary>
/// A person sent in by one of the tenant's web forms or landing pages (an integration holding <c>crm.capture</c>). The
/// email is required: it is how the person is recognised. An open lead of the tenant with the same email is updated
/// (<see cref="Lead.Recapture"/>); otherwise a new, unowned lead is created.
/// </summary>
public sealed record CaptureLead : LeadInput, ICommand<LeadCaptured>
{
    public CaptureLead() => Source = LeadSource.WebForm;

    /// <summary>Tags the form adds (a campaign's, say), normalised like any other.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>The lead a capture created or updated.</summary>
public sealed record LeadCaptured(Guid LeadId, CaptureOutcome Outcome);

public enum CaptureOutcome
{
    Created,
    Updated,
}

public sealed class CaptureLeadValidator : AbstractValidator<CaptureLead>
{
    public CaptureLeadValidator()
    {
        this.ApplyLeadInputRules();
        RuleFor(x => x.Email).NotEmpty().WithMessage("A captured lead needs an email: it is how the person is recognised.");
        this.ApplyStartingTagRules(x => x.Tags);
    }
}

public sealed class CaptureLeadHandler(IRepository<Lead> leads, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<CaptureLead, LeadCaptured>
{
    public async Task<LeadCaptured> Handle(CaptureLead request, CancellationToken cancellationToken)
    {
        var details = request.ToDetails();
        var email = Domain.Common.EmailAddress.Normalize(request.Email!);
        // Two captures of one new person at once: the second waits here and then finds the lead the first created.
        await leads.LockKeyAsync($"{request.CompanyId}:{email}", cancellationToken);
        var now = clock.GetUtcNow();
        if (await leads.FirstOrDefaultAsync(new OpenLeadByEmailSpecification(tenant, email, request.CompanyId), cancellationToken) is { } open)
        {
            open.Recapture(details, request.Source, request.Tags ?? [], now);
            return new LeadCaptured(open.Id, CaptureOutcome.Updated);
        }
        var lead = Lead.Capture(tenant.TenantId, details, request.Source, now);
        if (request.Tags is { Count: > 0 } tags)
            lead.AddTags(tags);
        leads.Add(lead);
        return new LeadCaptured(lead.Id, CaptureOutcome.Created);
    }
}

/// <summary>
/// The tenant's most recently captured open lead with this (normalised) email in the capture's company (or in none, for
/// a capture without one), tracked to be changed: a form of one company never updates another company's lead.
/// </summary>
public sealed class OpenLeadByEmailSpecification : TenantSpecification<Lead>, ILocksForChange
{
    public OpenLeadByEmailSpecification(ITenantContext tenant, string normalizedEmail, Guid? companyId) : base(tenant) =>
        Query.Where(LeadCriteria.OpenWithEmail(normalizedEmail)).Where(l => l.CompanyId == companyId)
            .OrderByDescending(l => l.CapturedAt)
            .Take(1);
}
