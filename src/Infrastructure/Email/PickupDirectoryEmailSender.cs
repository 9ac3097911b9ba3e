using System.Text;
using CrmTenancy.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace CrmTenancy.Infrastructure.Email;

/// <summary>Settings of outgoing mail ("Email" section).</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>Where the development sender writes each message as a .eml file (relative to the working directory).</summary>
    public string PickupDirectory { get; set; } = ".data/mail";

    public string From { get; set; } = "CrmTenancy <no-reply@crmtenancy.dev>";
}

/// <summary>
/// The development sender: each message becomes one RFC 5322 text file in the pickup directory, named so that
/// files sort by time, for the README's walk-through and the tests to read. A production deployment registers
/// a sender for its mail service instead.
/// </summary>
public sealed class PickupDirectoryEmailSender(IOptions<EmailOptions> options, TimeProvider clock) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        Directory.CreateDirectory(settings.PickupDirectory);
        var now = clock.GetUtcNow();
        var text = new StringBuilder()
            .Append("From: ").Append(settings.From).Append("\r\n")
            .Append("To: ").Append(message.To).Append("\r\n")
            .Append("Subject: ").Append(message.Subject).Append("\r\n")
            .Append("Date: ").Append((message.At ?? now).ToString("r")).Append("\r\n")
            .Append("MIME-Version: 1.0\r\n");
        if (message.HtmlBody is null)
        {
            text.Append("Content-Type: text/plain; charset=utf-8\r\n\r\n").Append(message.TextBody.ReplaceLineEndings("\r\n"));
        }
        else
        {
            // Text first, HTML last: a reader shows the last part it can (RFC 2046, multipart/alternative).
            var boundary = $"=_{Guid.NewGuid():N}";
            text.Append("Content-Type: multipart/alternative; boundary=\"").Append(boundary).Append("\"\r\n\r\n")
                .Append("--").Append(boundary).Append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
                .Append(message.TextBody.ReplaceLineEndings("\r\n")).Append("\r\n")
                .Append("--").Append(boundary).Append("\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")
                .Append(message.HtmlBody.ReplaceLineEndings("\r\n")).Append("\r\n")
                .Append("--").Append(boundary).Append("--\r\n");
        }
        // A message with a key is one file however often it is sent: named by its first time and its key.
        var name = message.Key is { } key ? $"{message.At ?? now:yyyyMMddTHHmmssfff}-{key:N}.eml" : $"{now:yyyyMMddTHHmmssfff}-{Guid.CreateVersion7():N}.eml";
        await File.WriteAllTextAsync(Path.Combine(settings.PickupDirectory, name), text.ToString(), cancellationToken);
    }
}
