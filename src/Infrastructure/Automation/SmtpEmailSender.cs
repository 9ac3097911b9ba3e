using CrmTenancy.Application.Abstractions;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>SMTP settings ("Email:Smtp"); with a host, mail goes out by SMTP instead of the pickup folder.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Email:Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>StartTls (the default), SslOnConnect, or None (a local relay only).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;
    public string From { get; set; } = "CrmTenancy <no-reply@crmtenancy.dev>";
}

/// <summary>
/// The production sender, through MailKit: multipart/alternative when there is HTML, and the message's key as its
/// Message-ID, so a receiving system can tell a message sent again after a crash from a new one.
/// </summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        if (message.Key is { } key)
            mime.MessageId = $"{key:N}@crmtenancy";
        if (message.At is { } at)
            mime.Date = at;
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        mime.Body = body.ToMessageBody();

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not set."), settings.Port, settings.Security, cancellationToken);
        if (settings.UserName is { Length: > 0 } user)
            await client.AuthenticateAsync(user, settings.Password ?? "", cancellationToken);
        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}
