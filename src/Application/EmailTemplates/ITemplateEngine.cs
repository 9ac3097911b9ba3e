namespace CrmTenancy.Application.EmailTemplates;

/// <summary>
/// The sandboxed template engine (Liquid): templates read only the merge values they are given, never an object of
/// the application, and their loops are bounded.
/// </summary>
public interface ITemplateEngine
{
    /// <summary>Null when <paramref name="source"/> parses and names only merge fields; otherwise its first problem.</summary>
    TemplateProblem? Check(string source);

    /// <summary>The subject and text body as they are; every value merged into the HTML body HTML-escaped.</summary>
    RenderedEmail Render(string subject, string htmlBody, string textBody, IReadOnlyDictionary<string, string?> values);
}

public sealed record TemplateProblem(int Line, string Message);

/// <summary>A template that checked out at save but could not be rendered for this person (too long, too many steps).</summary>
public sealed class TemplateRenderException(string message) : Exception($"The template could not be rendered: {message}");

public sealed record RenderedEmail(string Subject, string HtmlBody, string TextBody);

/// <summary>Links that let a recipient stop the tenant's emails in one click (sealed, so they name no id in clear).</summary>
public interface IEmailLinks
{
    string Unsubscribe(Guid tenantId, string email);

    /// <summary>An image URL that records the email (delivery) as opened when a mail reader loads it.</summary>
    string OpenPixel(Guid tenantId, Guid deliveryId);
}

/// <summary>
/// Whether something (an active workflow) still sends a template, so that deleting it is refused. Modules that send
/// templates register one; the templates module knows none of them.
/// </summary>
public interface IEmailTemplateUsage
{
    Task<bool> IsInUseAsync(Guid templateId, CancellationToken cancellationToken);
}
