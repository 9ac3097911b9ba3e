using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.Application.EmailTemplates;

/// <summary>The person an email is for: a lead or a contact of the tenant, with what its merge fields read.</summary>
public sealed record Recipient(Guid? LeadId, Guid? ContactId, string? Email, string FirstName, string LastName, string? Company, Guid? OwnerId)
{
    /// <summary>Who a preview is for when no person is chosen.</summary>
    public static readonly Recipient Example = new(null, null, "ada.lovelace@example.com", "Ada", "Lovelace", "Analytical Engines Ltd", null);
}

/// <summary>Finds recipients through the caller's tenant and visibility, and fills the merge fields for one.</summary>
public sealed class Recipients(
    IReadRepository<Lead> leads, IReadRepository<Contact> contacts, IReadRepository<User> users, IReadRepository<Domain.Tenants.Tenant> tenants,
    ITenantContext tenant, IEmailLinks links)
{
    /// <summary>
    /// The contact, or else the lead; with both ids (one person known as both, as calls and conversations allow), both
    /// must be the tenant's and the contact is the recipient. Another tenant's, or one the caller may not see, is a 404.
    /// </summary>
    public async Task<Recipient> FindAsync(Guid? leadId, Guid? contactId, CancellationToken cancellationToken)
    {
        Recipient? found = null;
        if (leadId is { } l)
        {
            var lead = await leads.FirstOrDefaultAsync(new ReadByIdSpecification<Lead>(tenant, l), cancellationToken)
                ?? throw new NotFoundException("Lead", l);
            found = new Recipient(lead.Id, null, lead.Email, lead.FirstName, lead.LastName, lead.CompanyName, lead.OwnerId);
        }
        if (contactId is { } c)
        {
            var contact = await contacts.FirstOrDefaultAsync(new ReadByIdSpecification<Contact>(tenant, c), cancellationToken)
                ?? throw new NotFoundException("Contact", c);
            found = new Recipient(leadId, contact.Id, contact.Email, contact.FirstName, contact.LastName, contact.Company, contact.OwnerId);
        }
        return found ?? throw new ArgumentException("A recipient is a lead or a contact.");
    }

    /// <summary>The template merged for <paramref name="recipient"/>; one that cannot be rendered for them is a 400 naming it.</summary>
    public async Task<RenderedEmail> RenderAsync(ITemplateEngine engine, EmailTemplate template, Recipient recipient, CancellationToken cancellationToken)
    {
        var values = await MergeValuesAsync(recipient, cancellationToken);
        try
        {
            return engine.Render(template.Subject, template.HtmlBody, template.TextBody, values);
        }
        catch (TemplateRenderException e)
        {
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("template", e.Message)]);
        }
    }

    /// <summary>Every merge field's value for <paramref name="recipient"/> (empty where the record has none).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> MergeValuesAsync(Recipient recipient, CancellationToken cancellationToken)
    {
        var owner = recipient.OwnerId is { } ownerId
            ? await users.FirstOrDefaultAsync(new ReadByIdSpecification<User>(tenant, ownerId), cancellationToken)
            : null;
        var organisation = await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant), cancellationToken);
        return new Dictionary<string, string?>
        {
            [MergeFields.FirstName] = recipient.FirstName,
            [MergeFields.LastName] = recipient.LastName,
            [MergeFields.Email] = recipient.Email,
            [MergeFields.Company] = recipient.Company,
            [MergeFields.OwnerName] = owner?.DisplayName,
            [MergeFields.UnsubscribeUrl] = recipient.Email is { } email ? links.Unsubscribe(tenant.TenantId, email) : null,
            [MergeFields.TenantName] = organisation?.Name,
        };
    }
}
