using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Calls;
using CrmTenancy.Application.Campaigns;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Calls.CompleteCall;

/// <summary>
/// Completes an answered call with its outcome, notes and recording: in the same transaction its campaign target is
/// completed and the contact's or open lead's last-contacted time moves. A call that converted a lead answers with the
/// conversion's link; conversion stays a command of its own.
/// </summary>
public sealed record CompleteCall(Guid Id, CallOutcome Outcome, string? Notes, string? RecordingUrl, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class CompleteCallValidator : AbstractValidator<CompleteCall>
{
    public CompleteCallValidator()
    {
        RuleFor(x => x.Outcome).IsInEnum();
        RuleFor(x => x.Notes).MaximumLength(Call.NotesMaxLength);
        RuleFor(x => x.RecordingUrl).MaximumLength(Call.RecordingUrlMaxLength)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .When(x => !string.IsNullOrEmpty(x.RecordingUrl)).WithMessage("The recording URL is an absolute http or https URL.");
    }
}

public sealed class CompleteCallHandler(
    IRepository<Call> calls, IRepository<CampaignTarget> targets, IRepository<Contact> contacts, IRepository<Lead> leads,
    ITenantContext tenant, TimeProvider clock) : IRequestHandler<CompleteCall, Unit>
{
    public async Task<Unit> Handle(CompleteCall request, CancellationToken cancellationToken)
    {
        var call = await calls.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        var now = clock.GetUtcNow();
        call.Complete(now, request.Outcome, request.Notes, request.RecordingUrl);
        await CallTargets.RecordAsync(call, targets, tenant, now, reached: true, completed: true, ended: true, cancellationToken);
        // The person may have been deleted since (the call keeps its history) or be hidden from this caller: then there
        // is no one to update. A converted or lost lead is no longer worked, so its last contact stays.
        if (call.ContactId is { } contactId && await contacts.FirstOrDefaultAsync(new PersonForChangeSpecification<Contact>(tenant, contactId), cancellationToken) is { } contact)
            contact.RecordContact(now);
        if (call.LeadId is { } leadId && await leads.FirstOrDefaultAsync(new PersonForChangeSpecification<Lead>(tenant, leadId), cancellationToken) is { IsOpen: true } lead)
            lead.RecordContact(now);
        return Unit.Value;
    }
}
