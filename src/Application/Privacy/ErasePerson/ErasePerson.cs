using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Application.Workflows;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Privacy;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Privacy.ErasePerson;

/// <summary>
/// Erases a person (a right-to-erasure request), found by contact id, lead id, or address within the tenant: their
/// personal fields are redacted in every contact and lead with the address, in their conversations' messages, their calls'
/// notes and the timeline entries about them; the tenant's tags are dropped from the address on the email platform; an
/// erasure record keeps who, when and which records, without personal data. Asking again answers the same record.
/// Another tenant's person is not found (404) by id; by address, another tenant's people are simply not this tenant's,
/// and an address the tenant does not hold is erased trivially (a record with no rows).
/// </summary>
public sealed record ErasePerson(Guid? ContactId, Guid? LeadId, string? Email) : ICommand<ErasureDto>, ITenantAdminRequest, IRunsOnce;

public sealed class ErasePersonValidator : AbstractValidator<ErasePerson>
{
    public ErasePersonValidator()
    {
        RuleFor(x => x).Must(x => new object?[] { x.ContactId, x.LeadId, x.Email }.Count(v => v is not null) == 1)
            .WithName("person").WithMessage("Give exactly one of contactId, leadId or email.");
        RuleFor(x => x.Email).MaximumLength(FieldLengths.Email).EmailAddress().When(x => x.Email is not null);
    }
}

public sealed class ErasePersonHandler(
    IRepository<Contact> contacts, IRepository<Lead> leads, IReadRepository<Customer> customers, IRepository<Erasure> erasures,
    IPersonalData data, ITenantContext tenant)
    : IRequestHandler<ErasePerson, ErasureDto>
{
    public async Task<ErasureDto> Handle(ErasePerson request, CancellationToken cancellationToken)
    {
        var email = EmailAddress.NormalizeOptional(request.Email);
        var subject = Erasure.SubjectHashOf(tenant.TenantId,
            email is not null ? "email:" + email : request.ContactId is { } c ? $"contact:{c}" : $"lead:{request.LeadId}");
        var people = await contacts.ListAsync(new ContactsToEraseSpecification(tenant, request.ContactId, email), cancellationToken);
        var found = await leads.ListAsync(new LeadsToEraseSpecification(tenant, request.LeadId, email), cancellationToken);
        var previous = await erasures.FirstOrDefaultAsync(new ErasureBySubjectSpecification(tenant, subject), cancellationToken);
        if (previous is not null && people.All(IsErased) && found.All(IsErased))
            return ErasureDto.From(previous, again: true);
        // An id must be one of the tenant's; an address nobody here has is erased trivially (its platform tags still go).
        if (people.Count == 0 && found.Count == 0 && email is null)
            throw new NotFoundException("Person", request.ContactId ?? request.LeadId ?? Guid.Empty);

        // An address erased by id: every other contact and lead with it goes too, or the person stays in the tenant.
        var emails = people.Select(p => p.NormalizedEmail).Concat(found.Select(l => l.NormalizedEmail)).OfType<string>().Distinct().ToList();
        foreach (var other in emails.Where(e => e != email))
        {
            people.AddRange((await contacts.ListAsync(new ContactsToEraseSpecification(tenant, null, other), cancellationToken)).Where(p => people.All(q => q.Id != p.Id)));
            found.AddRange((await leads.ListAsync(new LeadsToEraseSpecification(tenant, null, other), cancellationToken)).Where(l => found.All(q => q.Id != l.Id)));
        }
        var addresses = people.Select(p => p.Email).Concat(found.Select(l => l.Email)).Append(request.Email?.Trim()).OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var names = people.Select(p => $"{p.FirstName} {p.LastName}").Concat(found.Select(l => $"{l.FirstName} {l.LastName}"))
            .Where(n => n.Trim() != Lead.ErasedName).Distinct().ToList();
        var customerIds = people.Select(p => p.CustomerId).OfType<Guid>().Distinct().ToList();
        var customerTags = customerIds.Count == 0 ? []
            : (await customers.ListAsync(new CustomersOfErasedSpecification(tenant, customerIds), cancellationToken)).SelectMany(c => c.Tags);
        var tags = found.SelectMany(l => l.Tags).Concat(customerTags).Append(TenantEmailPlatform.AutomationTag).Distinct().Order().ToList();

        people.ForEach(p => p.Erase());
        found.ForEach(l => l.Erase());
        await data.RedactTracesAsync(people.Select(p => p.Id).ToList(), found.Select(l => l.Id).ToList(), names, cancellationToken);
        var erasure = Erasure.Record(tenant.TenantId, subject,
            people.Select(p => new ErasedRecord("contact", p.Id)).Concat(found.Select(l => new ErasedRecord("lead", l.Id))).ToList(), addresses, tags);
        erasures.Add(erasure);
        return ErasureDto.From(erasure, again: false);
    }

    private static bool IsErased(Contact contact) => contact.FirstName == Lead.ErasedName && contact.Email is null && contact.LastName.Length == 0;

    private static bool IsErased(Lead lead) => lead.FirstName == Lead.ErasedName && lead.Email is null && lead.LastName.Length == 0;
}
