using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Leads.ConvertLead;

/// <summary>
/// Converts a lead, in one transaction: into a new customer with the lead as its primary contact, or, with
/// <see cref="CustomerId"/>, into an existing customer of the tenant. Converting again answers the same customer; two
/// conversions at once queue on the lead's row lock, so one creates the customer and the other finds it converted.
/// </summary>
public sealed record ConvertLead(Guid Id, Guid? CustomerId, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand;

public sealed class ConvertLeadValidator : AbstractValidator<ConvertLead>
{
    public ConvertLeadValidator() => RuleFor(x => x.CustomerId).NotEqual(Guid.Empty);
}

public sealed class ConvertLeadHandler(
    IRepository<Lead> leads, IRepository<Customer> customers, IRepository<Contact> contacts, ITenantContext tenant)
    : IRequestHandler<ConvertLead, Unit>
{
    public async Task<Unit> Handle(ConvertLead request, CancellationToken cancellationToken)
    {
        var lead = await leads.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        if (lead.Status == LeadStatus.Converted)
        {
            if (request.CustomerId is { } asked && asked != lead.ConvertedCustomerId)
                throw new DomainRuleException("lead-already-converted", "The lead is already converted into another customer.");
            return Unit.Value;
        }

        if (request.CustomerId is { } existing)
        {
            // A customer of another tenant, or one the caller may not see, is a 404 like any id.
            lead.ConvertTo(await customers.LoadForChangeAsync(tenant, existing, expectedVersion: null, cancellationToken));
            return Unit.Value;
        }

        var customer = lead.NewCustomer();
        customers.Add(customer);
        var contact = Contact.Create(tenant.TenantId,
            new ContactDetails(lead.FirstName, lead.LastName, lead.Email, lead.Phone, Company: lead.CompanyName, Type: ContactType.Client),
            lead.OwnerId);
        // Seen by whoever sees the customer: the lead's owner, and its assignee, as the customer is.
        contact.AssignTo(lead.AssigneeId);
        contact.LinkTo(customer);
        contact.MakePrimary();
        contacts.Add(contact);
        lead.ConvertTo(customer);
        return Unit.Value;
    }
}
