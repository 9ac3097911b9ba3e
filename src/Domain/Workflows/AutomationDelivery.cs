using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Workflows;

public enum DeliveryKind
{
    Email,
    Webhook,
    /// <summary>A tag added to the person's contact on the external platform (<see cref="AutomationDelivery.Body"/>: the tag).</summary>
    PlatformTag,
    PlatformUntag,
}

public enum EmailChannel
{
    /// <summary>The product's own sender (SMTP, or the development pickup folder).</summary>
    Own,
    /// <summary>The external email platform, under the tenant's tag prefix.</summary>
    Platform,
}

public enum DeliveryState
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// Something a workflow step sends out of the database (an email, a webhook call), written in the same transaction
/// as the step's completion (an outbox), then sent at least once by the deliverer with <see cref="Id"/> as its
/// idempotency key: the step's run id, so a step that runs again after a crash writes no second delivery (the key is
/// the primary key), and a delivery sent again after a crash carries the same key to the receiver.
/// </summary>
public sealed class AutomationDelivery : ITenantOwned
{
    public const int MaxAttempts = 12;

    private AutomationDelivery() { Target = null!; Body = null!; }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid ExecutionId { get; private set; }
    public Guid? LeadId { get; private set; }
    public DeliveryKind Kind { get; private set; }
    public EmailChannel Channel { get; private set; }
    /// <summary>The address, or the webhook's URL.</summary>
    public string Target { get; private set; }
    public string? Subject { get; private set; }
    /// <summary>The email's text body, or the webhook's JSON.</summary>
    public string Body { get; private set; }
    public string? HtmlBody { get; private set; }
    public DeliveryState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? Error { get; private set; }
    public DateTimeOffset? OpenedAt { get; private set; }
    public DateTimeOffset? ClickedAt { get; private set; }

    public static AutomationDelivery Email(WorkflowStepRun run, Guid? leadId, EmailChannel channel, string to, string subject, string text, string html, DateTimeOffset now) => new()
    {
        Id = run.Id, TenantId = run.TenantId, ExecutionId = run.ExecutionId, LeadId = leadId, Kind = DeliveryKind.Email, Channel = channel,
        Target = to, Subject = subject, Body = text, HtmlBody = html, DueAt = now, CreatedAt = now,
    };

    public static AutomationDelivery Webhook(WorkflowStepRun run, Guid? leadId, string url, string json, DateTimeOffset now) => new()
    {
        Id = run.Id, TenantId = run.TenantId, ExecutionId = run.ExecutionId, LeadId = leadId, Kind = DeliveryKind.Webhook, Channel = EmailChannel.Own,
        Target = url, Body = json, DueAt = now, CreatedAt = now,
    };

    public static AutomationDelivery PlatformTagChange(WorkflowStepRun run, Guid? leadId, string email, string tag, bool added, DateTimeOffset now) => new()
    {
        Id = run.Id, TenantId = run.TenantId, ExecutionId = run.ExecutionId, LeadId = leadId, Kind = added ? DeliveryKind.PlatformTag : DeliveryKind.PlatformUntag,
        Channel = EmailChannel.Platform, Target = email, Body = tag, DueAt = now, CreatedAt = now,
    };

    /// <summary>Claimed by a sender until <paramref name="until"/>; if it has not recorded an outcome by then, another may send it.</summary>
    public void Lease(DateTimeOffset until) => DueAt = until;

    public void Sent(DateTimeOffset now)
    {
        State = DeliveryState.Sent;
        Attempts++;
        SentAt = now;
        Error = null;
    }

    public void Failed(string error, DateTimeOffset now, bool permanent = false)
    {
        Attempts++;
        Error = error.Length > WorkflowExecution.ErrorMaxLength ? error[..WorkflowExecution.ErrorMaxLength] : error;
        if (permanent || Attempts >= MaxAttempts)
            State = DeliveryState.Failed;
        else
            DueAt = now.AddSeconds(Math.Min(3600, Math.Pow(2, Attempts)));
    }

    /// <summary>An open or a click reported for this email; the first of each counts, repeats change nothing.</summary>
    public bool Record(bool click, DateTimeOffset at)
    {
        if (click)
        {
            if (ClickedAt is not null)
                return false;
            ClickedAt = at;
            OpenedAt ??= at;
            return true;
        }
        if (OpenedAt is not null)
            return false;
        OpenedAt = at;
        return true;
    }
}

/// <summary>An address of the tenant that receives no more of its emails (an unsubscribe), by either path.</summary>
public sealed class EmailSuppression : ITenantOwned
{
    private EmailSuppression() { NormalizedEmail = null!; }

    public Guid TenantId { get; private set; }
    public string NormalizedEmail { get; private set; }
    public DateTimeOffset At { get; private set; }

    public static EmailSuppression For(Guid tenantId, string email, DateTimeOffset at) =>
        new() { TenantId = Guard.Tenant(tenantId), NormalizedEmail = EmailAddress.Normalize(email), At = at };
}

/// <summary>A tenant's choice of how its workflows send email.</summary>
public sealed class AutomationSettings : ITenantOwned
{
    private AutomationSettings() { }

    public Guid TenantId { get; private set; }
    public EmailChannel EmailChannel { get; private set; }

    public static AutomationSettings For(Guid tenantId, EmailChannel channel) => new() { TenantId = Guard.Tenant(tenantId), EmailChannel = channel };

    public void Use(EmailChannel channel) => EmailChannel = channel;
}
