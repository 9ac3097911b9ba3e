using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.EmailTemplates;

/// <summary>
/// An email the tenant writes once and sends many times: a subject, an HTML body and a text body in Liquid, whose
/// merge fields (<see cref="MergeFields"/>) are filled per recipient. Names are unique in the tenant, compared like
/// company names; two tenants may each have a "Welcome Email". That the sources parse and name only known fields is
/// checked by the application before they reach here (the template engine is not the domain's).
/// </summary>
public sealed class EmailTemplate : AggregateRoot, ITenantOwned
{
    public const int NameMaxLength = FieldLengths.Name;
    public const int SubjectMaxLength = 300;
    public const int HtmlBodyMaxLength = 100_000;
    public const int TextBodyMaxLength = 50_000;

    private EmailTemplate() { Name = null!; NormalizedName = null!; Subject = null!; HtmlBody = null!; TextBody = null!; }

    public Guid TenantId { get; private set; }
    public string Name { get; private set; }
    public string NormalizedName { get; private set; }
    public string Subject { get; private set; }
    public string HtmlBody { get; private set; }
    public string TextBody { get; private set; }

    public static EmailTemplate Create(Guid tenantId, EmailTemplateContent content)
    {
        var template = new EmailTemplate { TenantId = Guard.Tenant(tenantId) };
        template.Update(content);
        return template;
    }

    public void Update(EmailTemplateContent content)
    {
        Name = Guard.Required(content.Name, NameMaxLength, "name");
        NormalizedName = NameKey.Of(Name);
        Subject = Guard.Required(content.Subject, SubjectMaxLength, "subject");
        HtmlBody = Guard.Required(content.HtmlBody, HtmlBodyMaxLength, "htmlBody");
        TextBody = Guard.Required(content.TextBody, TextBodyMaxLength, "textBody");
    }
}

public sealed record EmailTemplateContent(string Name, string Subject, string HtmlBody, string TextBody);

/// <summary>The merge fields a template may name, filled per recipient when it is rendered.</summary>
public static class MergeFields
{
    public const string FirstName = "first_name";
    public const string LastName = "last_name";
    public const string Email = "email";
    public const string Company = "company";
    public const string OwnerName = "owner_name";
    public const string UnsubscribeUrl = "unsubscribe_url";
    public const string TenantName = "tenant_name";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        FirstName, LastName, Email, Company, OwnerName, UnsubscribeUrl, TenantName,
    };
}
