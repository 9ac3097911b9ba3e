using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Companies;
using CrmTenancy.Domain.Contacts;
using CrmTenancy.Domain.Conversations;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.EmailTemplates;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Domain.Workflows;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using Microsoft.AspNetCore.Identity;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>A demo tenant with a confidential client whose credentials the README lists (development only).</summary>
public sealed record DemoTenant(string Slug, string Name, string ClientId, string ClientSecret)
{
    public string AdminEmail => $"admin@{Slug}.example";
    public string AdminPassword => $"{Slug}-admin-demo-pass";
    public string MemberEmail => $"member@{Slug}.example";
    public string MemberPassword => $"{Slug}-member-demo-pass";
}

/// <summary>
/// Seeds two demo tenants with an integration client, an admin and a member user, a customer and a contact each,
/// and the platform's clients (an operator's, the public web app) and an operator account; idempotent. Runs as the owner role (like migrations), each tenant in its own context with that tenant set.
/// </summary>
public sealed class DemoData(DbContexts contexts, TimeProvider clock)
{
    public const string PlatformClientId = "platform-operator";
    public const string PlatformClientSecret = "platform-demo-secret-change-me";
    public const string WebClientId = "crm-web";
    public static readonly IReadOnlyList<string> WebRedirectUris = ["http://localhost:5173/callback", "http://127.0.0.1:5173/callback"];
    public const string OperatorEmail = "operator@crmtenancy.dev";
    public const string OperatorPassword = "platform-operator-demo-pass";

    public static readonly IReadOnlyList<DemoTenant> Tenants =
    [
        new("acme", "Acme Agency", "acme-integration", "acme-demo-secret-change-me"),
        new("globex", "Globex Brokerage", "globex-integration", "globex-demo-secret-change-me"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        // Existence checks read through the platform role: with FORCE row-level security an owner that is not a
        // superuser sees no tenant's rows without a tenant set.
        await using var lookup = contexts.Platform();
        await using (var platform = contexts.Owner(new TenantContext(), SystemActor.Instance))
        {
            if (!await lookup.OAuthClients.AnyAsync(c => c.ClientId == PlatformClientId, cancellationToken))
            {
                platform.OAuthClients.Add(Identity.Server.CrmApplication.CreateConfidential(
                    null, PlatformClientId, "Platform operator console", ClientSecretHasher.Hash(PlatformClientSecret), [Scopes.Platform], clock.GetUtcNow()));
                await platform.SaveChangesAsync(cancellationToken);
            }
            if (!await lookup.OAuthClients.AnyAsync(c => c.ClientId == WebClientId, cancellationToken))
            {
                platform.OAuthClients.Add(Identity.Server.CrmApplication.CreatePublic(
                    WebClientId, "CrmTenancy web app", [.. Scopes.Identity, Scopes.Read, Scopes.Write, Scopes.Admin, Scopes.Platform], WebRedirectUris,
                    clock.GetUtcNow()));
                await platform.SaveChangesAsync(cancellationToken);
            }
            if (!await lookup.PlatformOperators.AnyAsync(o => o.NormalizedEmail == EmailAddress.Normalize(OperatorEmail), cancellationToken))
            {
                var account = PlatformOperator.Create(OperatorEmail, "Platform operator");
                ((IAccountCredentials)account).PasswordHash = new PasswordHasher<PlatformOperator>().HashPassword(account, OperatorPassword);
                account.ConfirmEmail();
                platform.PlatformOperators.Add(account);
                await platform.SaveChangesAsync(cancellationToken);
            }
        }

        foreach (var demo in Tenants)
        {
            var tenantContext = new TenantContext();
            await using var db = contexts.Owner(tenantContext, SystemActor.Instance);
            if (await lookup.Tenants.Where(t => t.Slug == demo.Slug).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken) is { } existing)
            {
                // A tenant seeded before it had users, or leads, gets them now.
                tenantContext.Resolve(existing);
                if (!await lookup.Users.IgnoreQueryFilters([CrmDbContext.TenantFilter]).AnyAsync(u => u.TenantId == existing, cancellationToken))
                    AddUsers(db, existing, demo);
                if (!await db.Set<Lead>().AnyAsync(cancellationToken))
                    AddLeads(db, existing, demo, companyId: null);
                if (!await db.Set<EmailTemplate>().AnyAsync(cancellationToken))
                    AddAutomation(db, existing);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            var tenant = Tenant.Create(demo.Name, demo.Slug);
            tenant.ChangePlan(Domain.Plans.Plan.Professional);
            tenantContext.Resolve(tenant.Id);
            db.Tenants.Add(tenant);
            db.OAuthClients.Add(Identity.Server.CrmApplication.CreateConfidential(
                tenant.Id, demo.ClientId, $"{demo.Name} integration", ClientSecretHasher.Hash(demo.ClientSecret), Scopes.Tenant, clock.GetUtcNow()));

            // A business unit of the tenant's own, which the first customer and the fresh lead belong to.
            var unit = Company.Create(tenant.Id, $"{demo.Name} Retail", "The retail business unit");
            db.Add(unit);
            var customer = Customer.Create(tenant.Id, new CustomerDetails(
                $"{demo.Name} first customer", $"buyer@{demo.Slug}-client.example", CompanyName: $"{demo.Name} Client Ltd",
                Industry: "Retail", CompanySize: CompanySize.Small, CompanyId: unit.Id), CustomerSource.Referral, ownerId: null);
            customer.AddTags(["demo", "key account"]);
            db.Customers.Add(customer);

            var contact = Contact.Create(tenant.Id, new ContactDetails("Sam", "Rivera", $"sam@{demo.Slug}-client.example", Phone: "+1 555 0100",
                Title: "Buyer", Type: ContactType.Client), ownerId: null);
            contact.LinkTo(customer);
            contact.MakePrimary();
            db.Contacts.Add(contact);

            AddUsers(db, tenant.Id, demo);
            var leads = AddLeads(db, tenant.Id, demo, unit.Id);
            AddCampaign(db, tenant.Id, contact, leads);
            AddAutomation(db, tenant.Id);
            await RecordCreationsAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Two workflows to look at and try: a customer tagged "check-in" emails each of its contacts and, unless the email
    /// is opened within three days, tags the customer "needs-call"; a lead tagged "webinar" gets the invitation and is
    /// moved to nurturing.
    /// </summary>
    private static void AddAutomation(CrmDbContext db, Guid tenantId)
    {
        var checkIn = EmailTemplate.Create(tenantId, new EmailTemplateContent("Account check-in", "How are things, {{ first_name }}?",
            "<p>Hello {{ first_name }},</p><p>{{ owner_name }} here from your account team: is everything working for {{ company }}?</p>"
            + "<p><a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></p>",
            "Hello {{ first_name }},\n\nIs everything working for {{ company }}?\n\nUnsubscribe: {{ unsubscribe_url }}"));
        var webinar = EmailTemplate.Create(tenantId, new EmailTemplateContent("Webinar invitation", "{{ first_name }}, join our next webinar",
            "<p>Hello {{ first_name }}, we saved you a seat.</p><p><a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></p>",
            "Hello {{ first_name }}, we saved you a seat.\n\nUnsubscribe: {{ unsubscribe_url }}"));
        db.AddRange(checkIn, webinar);
        AddWorkflow(db, tenantId, "Key account check-in", new WorkflowDefinition(new WorkflowTrigger(TriggerKind.ContactTagAdded, Tag: "check-in"),
        [
            new WorkflowStep("email", StepKind.SendEmail, Next: "opened", TemplateId: checkIn.Id),
            new WorkflowStep("opened", StepKind.Condition, Condition: new StepCondition(ConditionKind.EmailOpened, EmailStep: "email", WithinHours: 72),
                Then: "done", Else: "call"),
            new WorkflowStep("call", StepKind.AddTag, Tag: "needs-call"),
            new WorkflowStep("done", StepKind.Stop),
        ]));
        AddWorkflow(db, tenantId, "Webinar invitation", new WorkflowDefinition(new WorkflowTrigger(TriggerKind.TagAdded, Tag: "webinar"),
        [
            new WorkflowStep("invite", StepKind.SendEmail, Next: "nurture", TemplateId: webinar.Id),
            new WorkflowStep("nurture", StepKind.ChangeLeadStatus, Status: LeadStatus.Nurturing),
        ]));
    }

    private static void AddWorkflow(CrmDbContext db, Guid tenantId, string name, WorkflowDefinition definition)
    {
        var (workflow, version) = Workflow.Create(tenantId, name, definition, enabled: true);
        db.Add(workflow);
        db.Add(version);
    }

    /// <summary>Each demo record's "created" entry on the activity timeline, as a command's unit of work writes it.</summary>
    private async Task RecordCreationsAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var recorder = new Activities.ActivityRecorder(db, clock);
        foreach (var aggregate in db.ChangeTracker.Entries<AggregateRoot>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList())
        {
            await recorder.RecordAsync(aggregate, [.. aggregate.DomainEvents], cancellationToken);
            aggregate.ClearDomainEvents();
        }
    }

    /// <summary>
    /// A voice campaign launched a week ago to the open leads and the contact: one call completed with the engaged lead
    /// (interested) with its transcript, one to the contact that was not answered, and one scheduled for tomorrow with the
    /// fresh lead.
    /// </summary>
    private void AddCampaign(CrmDbContext db, Guid tenantId, Contact contact, IReadOnlyList<Lead> leads)
    {
        var now = clock.GetUtcNow();
        var campaign = Campaign.Create(tenantId, new CampaignDetails("Winter check-in calls", "Call every open lead and key contact before the holidays",
            now.AddDays(-7), now.AddDays(30)), CampaignChannel.Voice, ownerId: null);
        AudiencePerson Person(Guid id, string name, string? phone, string? email) => new(id, name, phone, email, EmailAddress.NormalizeOptional(email));
        var targets = AudienceSelection.NewTargets(campaign,
            [Person(contact.Id, $"{contact.FirstName} {contact.LastName}", contact.Phone, contact.Email)],
            leads.Where(l => l.IsOpen).Select(l => Person(l.Id, $"{l.FirstName} {l.LastName}", l.Phone, l.Email)), []);
        campaign.Schedule();
        campaign.Launch(now.AddDays(-7), targets.Count);
        db.Add(campaign);
        db.AddRange(targets);

        var engaged = leads.Single(l => l.Status == LeadStatus.Engaged);
        var engagedTarget = targets.Single(t => t.LeadId == engaged.Id);
        var answered = Call.Schedule(tenantId, new CallParty(null, engaged.Id, campaign.Id, engagedTarget.Id), CallDirection.Outbound, now.AddDays(-3), null, null);
        answered.Start(now.AddDays(-3));
        answered.Complete(now.AddDays(-3).AddMinutes(7), CallOutcome.Interested, "Wants a proposal for the annual plan", null);
        engagedTarget.Attempted(now.AddDays(-3), reached: true, completed: true);
        engaged.RecordContact(now.AddDays(-3));
        var contactTarget = targets.Single(t => t.ContactId == contact.Id);
        var unanswered = Call.Schedule(tenantId, new CallParty(contact.Id, null, campaign.Id, contactTarget.Id), CallDirection.Outbound, now.AddDays(-2), null, null);
        unanswered.EndUnanswered(CallStatus.NoAnswer, now.AddDays(-2));
        contactTarget.Attempted(now.AddDays(-2), reached: false, completed: false);
        var fresh = leads.Single(l => l.Status == LeadStatus.New);
        var upcoming = Call.Schedule(tenantId, new CallParty(null, fresh.Id, campaign.Id, targets.Single(t => t.LeadId == fresh.Id).Id),
            CallDirection.Outbound, now.AddDays(1), null, "First call after the web form");
        db.AddRange(answered, unanswered, upcoming);

        // What was said on the answered call.
        var transcript = Conversation.Start(tenantId, ConversationChannel.Voice, null, engaged.Id, answered.Id, "Winter check-in", null);
        var said = now.AddDays(-3);
        db.Add(transcript);
        db.AddRange(transcript.Append([
            new MessageDraft("agent", MessageDirection.Outbound, "Hi Priya, this is a quick winter check-in about your plans for next year.", said, Sentiment.Neutral),
            new MessageDraft("Priya Shah", MessageDirection.Inbound, "Good timing: we are looking at the annual plan for the whole team.", said.AddMinutes(1), Sentiment.Positive),
            new MessageDraft("agent", MessageDirection.Outbound, "Then I will send a proposal for the annual plan this week.", said.AddMinutes(3), Sentiment.Positive),
            new MessageDraft("Priya Shah", MessageDirection.Inbound, "Please do, with the volume discount.", said.AddMinutes(4), Sentiment.Positive),
        ]));
    }

    /// <summary>Three leads at different stages of the pipeline, one of them lost; the fresh one of the business unit, if any.</summary>
    private IReadOnlyList<Lead> AddLeads(CrmDbContext db, Guid tenantId, DemoTenant demo, Guid? companyId)
    {
        var now = clock.GetUtcNow();
        var fresh = Lead.Create(tenantId, new LeadDetails("Jordan", "Lee", $"jordan@{demo.Slug}-prospect.example", Phone: "+1 555 0101",
            CompanyName: $"{demo.Name} Prospect Co", Interest: "Annual plan", VolumeTier: VolumeTier.Medium, CompanyId: companyId),
            LeadSource.WebForm, ownerId: null, now.AddDays(-2));
        fresh.AddTags(["newsletter"]);
        var engaged = Lead.Create(tenantId, new LeadDetails("Priya", "Shah", $"priya@{demo.Slug}-partner.example", Phone: "+44 20 7946 0102",
            CompanyName: $"{demo.Name} Partner Group", VolumeTier: VolumeTier.High), LeadSource.Referral, ownerId: null, now.AddDays(-10));
        engaged.MoveTo(LeadStatus.Engaged);
        var lost = Lead.Create(tenantId, new LeadDetails("Chris", "Novak", $"chris@{demo.Slug}-lost.example"),
            LeadSource.Campaign, ownerId: null, now.AddDays(-30));
        lost.MoveTo(LeadStatus.Lost, "No budget this year");
        db.AddRange(fresh, engaged, lost);
        return [fresh, engaged, lost];
    }

    private static void AddUsers(CrmDbContext db, Guid tenantId, DemoTenant demo)
    {
        var hasher = new PasswordHasher<User>();
        foreach (var (email, name, role, password) in new[]
                 {
                     (demo.AdminEmail, $"{demo.Name} admin", UserRole.TenantAdmin, demo.AdminPassword),
                     (demo.MemberEmail, $"{demo.Name} member", UserRole.Member, demo.MemberPassword),
                 })
        {
            var user = User.Create(tenantId, email, name, role);
            ((IAccountCredentials)user).PasswordHash = hasher.HashPassword(user, password);
            user.ConfirmEmail();
            db.Users.Add(user);
        }
    }
}
