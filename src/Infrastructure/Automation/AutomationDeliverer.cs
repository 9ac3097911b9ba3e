using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.EmailTemplates;
using CrmTenancy.Application.Workflows;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Workflows;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Automation;

/// <summary>
/// Sends what workflow steps wrote to <c>automation_deliveries</c>, at least once and each with its idempotency key
/// (the step run's id): the pickup file is named by it (a second write replaces the first), the platform and webhook
/// receivers get it as <c>Idempotency-Key</c>. Tenant by tenant (active ones), as that tenant, claiming due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> and a lease so two instances never send one row at once; a failure waits 2, 4, 8 ...
/// seconds (at most an hour, about 2.5 hours in all) and fails the delivery for good after
/// <see cref="AutomationDelivery.MaxAttempts"/>, without holding up the others. An address that unsubscribed since the
/// step ran gets nothing.
/// </summary>
public sealed class AutomationDeliverer(
    DbContexts contexts, ITenantJobRunner jobs, IEmailSender sender, IEmailPlatform platform, IEmailLinks links, IHttpClientFactory http,
    IHostEnvironment environment, IConfiguration configuration, TimeProvider clock, ILogger<AutomationDeliverer> logger)
{
    public const int BatchSize = 50;
    /// <summary>
    /// How long a claimed delivery is left to its sender before another may take it (longer than any send's timeouts):
    /// <c>Workflows:DeliveryLeaseSeconds</c>, 300 by default.
    /// </summary>
    public const string LeaseSetting = "Workflows:DeliveryLeaseSeconds";

    private TimeSpan Lease => TimeSpan.FromSeconds(configuration.GetValue(LeaseSetting, 300));
    public const string WebhookClient = "workflow-webhooks";
    public const string SignatureHeader = "X-Crm-Signature";
    /// <summary>Lets webhooks call loopback and private addresses outside development (tests on loopback).</summary>
    public const string AllowPrivateSetting = "Workflows:AllowPrivateWebhookAddresses";

    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var tenants = await DueWork.TenantsAsync(contexts, DueWork.Deliveries, clock.GetUtcNow(), cancellationToken);
        var sent = 0;
        foreach (var tenant in tenants)
        {
            try
            {
                sent += await jobs.RunAsync(tenant, (services, token) => DeliverTenantAsync(services, tenant, token), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Delivering the workflow messages of tenant {Tenant} failed; the next pass tries again", tenant);
            }
        }
        return sent;
    }

    /// <summary>
    /// Claims a batch with a lease (its due time moved <see cref="Lease"/> ahead, committed at once), then sends each
    /// delivery with no transaction open and records its outcome on its own: a slow receiver holds no lock, and a crash
    /// after a send leaves that one delivery to be sent again, with its key, when the lease ends.
    /// </summary>
    private async Task<int> DeliverTenantAsync(IServiceProvider services, Guid tenant, CancellationToken cancellationToken)
    {
        services.GetRequiredService<JobScope>().ActingAs = WorkflowRunner.Actor;
        var db = services.GetRequiredService<CrmDbContext>();
        List<AutomationDelivery> due;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            due = await db.Set<AutomationDelivery>().FromSqlRaw(
                    "SELECT * FROM automation_deliveries WHERE tenant_id = {0} AND state = 'Pending' AND due_at <= {1} ORDER BY due_at LIMIT {2} FOR UPDATE SKIP LOCKED",
                    tenant, clock.GetUtcNow(), BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var delivery in due)
                delivery.Lease(clock.GetUtcNow() + Lease);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (due.Count == 0)
            return 0;
        var prefix = await db.Set<Tenant>().Where(t => t.Id == tenant).Select(t => t.TagPrefix).SingleAsync(cancellationToken);
        var named = new TenantEmailPlatform(platform, prefix);
        foreach (var delivery in due)
        {
            try
            {
                if (delivery.Kind == DeliveryKind.Email && await SuppressedAsync(db, delivery.Target, cancellationToken))
                    delivery.Failed("The address unsubscribed; nothing was sent.", clock.GetUtcNow(), permanent: true);
                else
                {
                    await SendAsync(db, delivery, named, tenant, cancellationToken);
                    delivery.Sent(clock.GetUtcNow());
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                delivery.Failed(exception.Message, clock.GetUtcNow());
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return due.Count;
    }

    private static Task<bool> SuppressedAsync(CrmDbContext db, string email, CancellationToken cancellationToken)
    {
        var normalized = Domain.Common.EmailAddress.Normalize(email);
        return db.Set<EmailSuppression>().AnyAsync(s => s.NormalizedEmail == normalized, cancellationToken);
    }

    private async Task SendAsync(CrmDbContext db, AutomationDelivery delivery, TenantEmailPlatform named, Guid tenant, CancellationToken cancellationToken)
    {
        var key = delivery.Id.ToString();
        switch (delivery.Kind)
        {
            case DeliveryKind.Email when delivery.Channel == EmailChannel.Platform:
                await named.SendAsync(delivery.Target, delivery.Subject!, delivery.Body, delivery.HtmlBody!, key, cancellationToken);
                break;
            case DeliveryKind.Email:
                // The product's own sender: an image in the HTML reports the open.
                var html = $"{delivery.HtmlBody}<img src=\"{WebUtility.HtmlEncode(links.OpenPixel(tenant, delivery.Id))}\" width=\"1\" height=\"1\" alt=\"\">";
                await sender.SendAsync(new EmailMessage(delivery.Target, delivery.Subject!, delivery.Body, html, delivery.Id, delivery.CreatedAt), cancellationToken);
                break;
            case DeliveryKind.PlatformTag:
                await named.TagAsync(delivery.Target, delivery.Body, key, cancellationToken);
                break;
            case DeliveryKind.PlatformUntag:
                await named.UntagAsync(delivery.Target, delivery.Body, key, cancellationToken);
                break;
            case DeliveryKind.Webhook:
                await CallWebhookAsync(db, delivery, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// POSTs the JSON, signed: <c>X-Crm-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, t + "." + body)}</c> with
    /// the workflow's secret, and <c>Idempotency-Key</c>. Loopback, private and link-local addresses are refused outside
    /// development (the host is resolved here, and every address it has must be public).
    /// </summary>
    private async Task CallWebhookAsync(CrmDbContext db, AutomationDelivery delivery, CancellationToken cancellationToken)
    {
        var url = new Uri(delivery.Target);
        if (!environment.IsDevelopment() && !configuration.GetValue(AllowPrivateSetting, false))
        {
            var addresses = IPAddress.TryParse(url.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.Host, cancellationToken);
            if (addresses.Length == 0 || addresses.Any(IsPrivate))
                throw new InvalidOperationException($"The webhook's host {url.Host} is not a public address.");
        }
        var secret = await WebhookSecretAsync(db, delivery, cancellationToken);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{delivery.Body}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SignatureHeader, $"t={timestamp},v1={signature}");
        request.Headers.Add("Idempotency-Key", delivery.Id.ToString());
        using var response = await http.CreateClient(WebhookClient).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The webhook answered {(int)response.StatusCode}.");
    }

    private static Task<string> WebhookSecretAsync(CrmDbContext db, AutomationDelivery delivery, CancellationToken cancellationToken) =>
        (from execution in db.Set<WorkflowExecution>()
         join workflow in db.Set<Workflow>() on execution.WorkflowId equals workflow.Id
         where execution.Id == delivery.ExecutionId
         select workflow.WebhookSecret).SingleAsync(cancellationToken);

    internal static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
            return true;
        if (address.AddressFamily != AddressFamily.InterNetwork)
            return address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None);
        var b = address.GetAddressBytes();
        return b[0] is 10 or 127 or 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
               || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224;
    }
}
