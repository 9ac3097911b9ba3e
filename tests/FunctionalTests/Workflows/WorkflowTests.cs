using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Automation;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.FunctionalTests.Workflows;

/// <summary>
/// Workflows end to end: a tag added to a lead starts the tenant's workflow (once per event), the runner sends the
/// template through the own sender, an open moves the lead to the engaged branch; definitions are checked at save and
/// versioned; another tenant's template, workflow or execution is a 404, and its events start nothing here.
/// </summary>
public sealed partial class WorkflowTests(ApiFactory factory) : ApiTest(factory)
{
    private HttpClient Admin { get; set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        (_, Admin) = await UserAsync(TenantA, "automation@a.example", UserRole.TenantAdmin);
    }

    public override ValueTask DisposeAsync()
    {
        Admin.Dispose();
        return base.DisposeAsync();
    }

    private async Task<string> TemplateAsync(HttpClient client, string name = "Welcome Email")
    {
        using var response = await client.PostAsJsonAsync("/api/email-templates", new
        {
            name, subject = "Welcome, {{ first_name }}", htmlBody = "<p>Hello {{ first_name }}</p><a href=\"{{ unsubscribe_url }}\">stop</a>", textBody = "Hello {{ first_name }}",
        });
        return (await Json(response)).GetProperty("id").GetString()!;
    }

    private static object Nurture(string template, string tag = "newsletter") => new
    {
        name = "Nurture",
        enabled = true,
        trigger = new { kind = "tagAdded", tag },
        steps = new object[]
        {
            new { id = "welcome", kind = "sendEmail", templateId = template, next = "opened" },
            new { id = "opened", kind = "condition", condition = new { kind = "emailOpened", emailStep = "welcome", withinHours = 48 }, then = "engage", @else = "cold" },
            new { id = "engage", kind = "changeLeadStatus", status = "engaged", next = "tell" },
            new { id = "tell", kind = "notifyOwner", message = "An engaged lead" },
            new { id = "cold", kind = "addTag", tag = "cold" },
        },
    };

    private async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/workflows", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<string> LeadAsync(HttpClient client, string email)
    {
        using var response = await client.PostAsJsonAsync("/api/leads", new { firstName = "Ada", lastName = "Lovelace", email });
        return (await Json(response)).GetProperty("id").GetString()!;
    }

    private static async Task TagAsync(HttpClient client, string lead, string tag)
    {
        using var response = await client.PostAsJsonAsync($"/api/leads/{lead}/tags", new { tags = new[] { tag } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task RunAsync() => AutomationPasses.RunAsync(Factory, Factory.Services);

    [Fact]
    public async Task A_tag_starts_the_workflow_the_welcome_email_goes_out_and_its_open_moves_the_lead_to_engaged()
    {
        var template = await TemplateAsync(Admin);
        var workflow = (await CreateAsync(Admin, Nurture(template))).GetProperty("id").GetString();
        var lead = await LeadAsync(Admin, "ada@example.com");
        await TagAsync(Admin, lead, "newsletter");
        await RunAsync();

        var mail = Factory.LatestMailTo("ada@example.com");
        Assert.NotNull(mail);
        Assert.Contains("Subject: Welcome, Ada", mail, StringComparison.Ordinal);
        var executions = await Json(await Admin.GetAsync($"/api/workflow-executions?workflowId={workflow}&leadId={lead}"));
        var execution = Assert.Single(executions.GetProperty("items").EnumerateArray());
        Assert.Equal("running", execution.GetProperty("state").GetString());
        Assert.Equal("opened", execution.GetProperty("currentStepId").GetString());

        // The open (the own sender's pixel) wakes the waiting condition: the then branch.
        var pixel = WebUtility.HtmlDecode(PixelUrl().Match(mail).Groups[1].Value);
        using (var anonymous = Anonymous())
        using (var opened = await anonymous.GetAsync(new Uri(pixel).PathAndQuery))
            Assert.Equal("image/gif", opened.Content.Headers.ContentType?.MediaType);
        await RunAsync();

        Assert.Equal("engaged", (await Json(await Admin.GetAsync($"/api/leads/{lead}"))).GetProperty("status").GetString());
        var details = await Json(await Admin.GetAsync($"/api/workflow-executions/{execution.GetProperty("id").GetString()}"));
        Assert.Equal("completed", details.GetProperty("execution").GetProperty("state").GetString());
        Assert.Equal(new[] { "welcome", "opened", "engage", "tell" },
            details.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("stepId").GetString()!).ToArray());
        Assert.All(details.GetProperty("steps").EnumerateArray(), s => Assert.Equal("completed", s.GetProperty("state").GetString()));
        Assert.Contains("An engaged lead", Factory.LatestMailTo("automation@a.example"), StringComparison.Ordinal);

        // The dashboard's automation part: the lead nurtured, the workflow's execution completed, its email sent and opened.
        var stats = await Json(await Admin.GetAsync("/api/analytics/automation"));
        Assert.Equal((1, 1, 0), (stats.GetProperty("leadFlow").GetProperty("captured").GetInt32(),
            stats.GetProperty("leadFlow").GetProperty("nurtured").GetInt32(), stats.GetProperty("leadFlow").GetProperty("converted").GetInt32()));
        var flow = Assert.Single(stats.GetProperty("workflows").EnumerateArray());
        Assert.Equal((1, 0, 1, 1), (flow.GetProperty("completed").GetInt32(), flow.GetProperty("running").GetInt32(),
            flow.GetProperty("emailsSent").GetInt32(), flow.GetProperty("emailsOpened").GetInt32()));
        var (_, adminB) = await UserAsync(TenantB, "automation@b.example", UserRole.TenantAdmin);
        using (adminB)
        {
            var other = await Json(await adminB.GetAsync("/api/analytics/automation"));
            Assert.Equal(0, other.GetProperty("leadFlow").GetProperty("captured").GetInt32());
            Assert.Empty(other.GetProperty("workflows").EnumerateArray());
        }

        // The same tag again is a new event, but the lead already has it: no event, no second execution.
        await TagAsync(Admin, lead, "newsletter");
        await RunAsync();
        Assert.Single((await Json(await Admin.GetAsync($"/api/workflow-executions?leadId={lead}"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_unopened_email_takes_the_else_branch_and_an_unsubscribed_address_gets_nothing_more()
    {
        var template = await TemplateAsync(Admin);
        var body = Nurture(template);
        await CreateAsync(Admin, body);
        var lead = await LeadAsync(Admin, "grace@example.com");
        await TagAsync(Admin, lead, "newsletter");
        await RunAsync();
        var mail = Factory.LatestMailTo("grace@example.com")!;

        // The recipient unsubscribes with the link in the email; the next workflow email to them is skipped.
        var unsubscribe = WebUtility.HtmlDecode(UnsubscribeUrl().Match(mail).Groups[1].Value);
        using (var anonymous = Anonymous())
        using (var done = await anonymous.PostAsync(new Uri(unsubscribe).PathAndQuery, null))
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        using (var anonymous = Anonymous())
        using (var forged = await anonymous.PostAsync("/unsubscribe?token=forged", null))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var second = await LeadAsync(Admin, "GRACE@example.com ");
        await TagAsync(Admin, second, "newsletter");
        await RunAsync();
        var executions = await Json(await Admin.GetAsync($"/api/workflow-executions?leadId={second}"));
        var details = await Json(await Admin.GetAsync($"/api/workflow-executions/{executions.GetProperty("items")[0].GetProperty("id").GetString()}"));
        Assert.Contains("unsubscribed", details.GetProperty("steps")[0].GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Directory.GetFiles(Factory.MailDirectory, "*.eml").Count(f => File.ReadAllText(f).Contains("To: grace@example.com", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task A_tag_added_to_a_customer_starts_a_contact_workflow_for_each_of_its_contacts_and_nowhere_else()
    {
        var template = await TemplateAsync(Admin);
        var created = await CreateAsync(Admin, new
        {
            name = "Contacts", enabled = true, trigger = new { kind = "contactTagAdded", tag = "vip" },
            steps = new object[]
            {
                new { id = "welcome", kind = "sendEmail", templateId = template, next = "title" },
                new { id = "title", kind = "condition", condition = new { kind = "field", field = "title", @operator = "equals", value = "CTO" }, then = "tag", @else = "done" },
                new { id = "tag", kind = "addTag", tag = "technical" },
                new { id = "done", kind = "stop" },
            },
        });
        Assert.Equal("contactTagAdded", created.GetProperty("definition").GetProperty("trigger").GetProperty("kind").GetString());
        using var customer = await Admin.PostAsJsonAsync("/api/customers", new { name = "Analytical Engines" });
        var customerId = (await Json(customer)).GetProperty("id").GetString();
        using var cto = await Admin.PostAsJsonAsync("/api/contacts", new { firstName = "Charles", lastName = "Babbage", email = "charles@example.com", title = "CTO", customerId });
        var ctoId = (await Json(cto)).GetProperty("id").GetString();
        using var noEmail = await Admin.PostAsJsonAsync("/api/contacts", new { firstName = "Mary", lastName = "Somerville", customerId });
        var noEmailId = (await Json(noEmail)).GetProperty("id").GetString();

        // Tenant B tags its own customer "vip": A's contact workflow does not start.
        var (_, adminB) = await UserAsync(TenantB, "automation@b.example", UserRole.TenantAdmin);
        using (adminB)
        {
            using var other = await adminB.PostAsJsonAsync("/api/customers", new { name = "Difference Engines" });
            var otherId = (await Json(other)).GetProperty("id").GetString();
            using (await adminB.PostAsJsonAsync("/api/contacts", new { firstName = "Other", lastName = "Person", email = "other@example.com", customerId = otherId }))
            using (var tagged = await adminB.PostAsJsonAsync($"/api/customers/{otherId}/tags", new { tags = new[] { "vip" } }))
                Assert.True(tagged.IsSuccessStatusCode);
            await RunAsync();
            Assert.Empty((await Json(await Admin.GetAsync("/api/workflow-executions"))).GetProperty("items").EnumerateArray());
            Assert.Null(Factory.LatestMailTo("other@example.com"));
        }

        using (var tagged = await Admin.PostAsJsonAsync($"/api/customers/{customerId}/tags", new { tags = new[] { "vip" } }))
            Assert.True(tagged.IsSuccessStatusCode, await tagged.Content.ReadAsStringAsync());
        await RunAsync();

        Assert.Contains("Subject: Welcome, Charles", Factory.LatestMailTo("charles@example.com"), StringComparison.Ordinal);
        var executions = (await Json(await Admin.GetAsync("/api/workflow-executions"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, executions.Count);
        Assert.All(executions, e => Assert.Equal((JsonValueKind.Null, "completed"), (e.GetProperty("leadId").ValueKind, e.GetProperty("state").GetString())));
        var forCto = Assert.Single((await Json(await Admin.GetAsync($"/api/workflow-executions?contactId={ctoId}"))).GetProperty("items").EnumerateArray());
        var steps = (await Json(await Admin.GetAsync($"/api/workflow-executions/{forCto.GetProperty("id").GetString()}"))).GetProperty("steps");
        Assert.Equal(new[] { "welcome", "title", "tag" }, steps.EnumerateArray().Select(s => s.GetProperty("stepId").GetString()!).ToArray());
        var skipped = Assert.Single((await Json(await Admin.GetAsync($"/api/workflow-executions?contactId={noEmailId}"))).GetProperty("items").EnumerateArray());
        var skippedSteps = (await Json(await Admin.GetAsync($"/api/workflow-executions/{skipped.GetProperty("id").GetString()}"))).GetProperty("steps");
        Assert.Contains("no email address", skippedSteps[0].GetProperty("result").GetString(), StringComparison.Ordinal);
        // The tag step tags the contact's customer, which carries its contacts' tags.
        var tags = (await Json(await Admin.GetAsync($"/api/customers/{customerId}"))).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(new[] { "technical", "vip" }, tags.Order().ToArray());

        // A contact has no lead status and no lead fields: such workflows are refused at save, naming the step.
        using var status = await Admin.PostAsJsonAsync("/api/workflows", new
        {
            name = "Bad", enabled = true, trigger = new { kind = "contactTagAdded", tag = "vip" },
            steps = new object[] { new { id = "move", kind = "changeLeadStatus", status = "engaged" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        Assert.Contains("steps[0].kind", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_workflows_that_would_start_each_other_for_ever_are_refused_together()
    {
        static object MovesTo(string name, string on, string to, bool enabled) => new
        {
            name, enabled, trigger = new { kind = "leadStatusChanged", status = on },
            steps = new object[] { new { id = "move", kind = "changeLeadStatus", status = to } },
        };
        await CreateAsync(Admin, MovesTo("Engaged to nurturing", "engaged", "nurturing", enabled: true));
        using (var loop = await Admin.PostAsJsonAsync("/api/workflows", MovesTo("Nurturing to engaged", "nurturing", "engaged", enabled: true)))
        {
            var problem = await AssertProblemAsync(loop, HttpStatusCode.Conflict, "workflow-loop");
            Assert.Contains("Nurturing to engaged -> Engaged to nurturing -> Nurturing to engaged", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(1, (await Json(await Admin.GetAsync("/api/workflows"))).GetProperty("totalCount").GetInt32());

        // Saved off, it may be kept; turned on, it is refused and stays off.
        var off = (await CreateAsync(Admin, MovesTo("Nurturing to engaged", "nurturing", "engaged", enabled: false))).GetProperty("id").GetString();
        using (var on = await Admin.PostAsync($"/api/workflows/{off}/on", null))
            await AssertProblemAsync(on, HttpStatusCode.Conflict, "workflow-loop");
        Assert.False((await Json(await Admin.GetAsync($"/api/workflows/{off}"))).GetProperty("enabled").GetBoolean());
        // A move that stays where the lead is starts nothing again: no loop.
        await CreateAsync(Admin, MovesTo("Stay engaged", "engaged", "engaged", enabled: true));
    }

    [Fact]
    public async Task Editing_a_workflow_is_a_new_version_and_a_running_execution_finishes_on_its_own()
    {
        var template = await TemplateAsync(Admin);
        var created = await CreateAsync(Admin, new
        {
            name = "Slow", enabled = true, trigger = new { kind = "leadCaptured" },
            steps = new object[] { new { id = "wait", kind = "wait", minutes = 60, next = "tag" }, new { id = "tag", kind = "addTag", tag = "v1" } },
        });
        var id = created.GetProperty("id").GetString();
        var lead = await LeadAsync(Admin, "v1@example.com");
        await RunAsync();

        using (var changed = await Admin.SendAsync(Request(HttpMethod.Put, $"/api/workflows/{id}", new
               {
                   name = "Slow", enabled = true, trigger = new { kind = "leadCaptured" },
                   steps = new object[] { new { id = "tag", kind = "addTag", tag = "v2" } },
               }, ifMatch: "\"1\"")))
            Assert.Equal(2, (await Json(changed)).GetProperty("definitionVersion").GetInt32());
        var execution = (await Json(await Admin.GetAsync($"/api/workflow-executions?leadId={lead}"))).GetProperty("items")[0];
        Assert.Equal(1, execution.GetProperty("workflowVersion").GetInt32());

        // Turned off, it starts nothing; it cannot be deleted while an execution runs; cancelled, it can.
        using (var off = await Admin.PostAsync($"/api/workflows/{id}/off", null))
            Assert.False((await Json(off)).GetProperty("enabled").GetBoolean());
        await LeadAsync(Admin, "later@example.com");
        await RunAsync();
        Assert.Equal(1, (await Json(await Admin.GetAsync($"/api/workflow-executions?workflowId={id}"))).GetProperty("totalCount").GetInt32());
        using (var running = await Admin.DeleteAsync($"/api/workflows/{id}"))
            await AssertProblemAsync(running, HttpStatusCode.Conflict, "workflow-running");
        using (var cancelled = await Admin.PostAsync($"/api/workflow-executions/{execution.GetProperty("id").GetString()}/cancel", null))
        {
            var details = await Json(cancelled);
            Assert.Equal("cancelled", details.GetProperty("execution").GetProperty("state").GetString());
            // The step it waited on reads as cancelled at once, not pending until it comes due.
            Assert.Equal("cancelled", details.GetProperty("steps").EnumerateArray().Last().GetProperty("state").GetString());
        }
        using (var templateInUse = await Admin.DeleteAsync($"/api/email-templates/{template}"))
            Assert.Equal(HttpStatusCode.NoContent, templateInUse.StatusCode);
        using (var deleted = await Admin.DeleteAsync($"/api/workflows/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task A_template_an_active_workflow_sends_is_not_deleted()
    {
        var template = await TemplateAsync(Admin);
        await CreateAsync(Admin, Nurture(template));
        using var inUse = await Admin.DeleteAsync($"/api/email-templates/{template}");
        await AssertProblemAsync(inUse, HttpStatusCode.Conflict, "email-template-in-use");
    }

    public static TheoryData<string, string> BadDefinitions => new()
    {
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"addTag","tag":"t","next":"b"},{"id":"b","kind":"wait","minutes":5,"next":"a"}]}""", "steps" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"condition","condition":{"kind":"hasTag","tag":"t"},"then":"b"},{"id":"b","kind":"stop"}]}""", "steps[0].else" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"teleport"}]}""", "" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"addTag","tag":"t","next":"nowhere"}]}""", "steps[0].next" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"tagAdded"},"steps":[{"id":"a","kind":"stop"}]}""", "trigger.tag" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"webhook","url":"http://example.com/hook"}]}""", "steps[0].url" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[]}""", "steps" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"wait","minutes":0}]}""", "steps[0].minutes" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"stop","colour":"red"}]}""", "" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"changeLeadStatus","status":"lost"}]}""", "steps[0].status" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"leadCaptured"},"steps":[{"id":"a","kind":"addTag","tag":"---"}]}""", "steps[0].tag" },
        { """{"name":"x","enabled":true,"trigger":{"kind":"tagAdded","tag":"Loop"},"steps":[{"id":"a","kind":"removeTag","tag":"loop","next":"b"},{"id":"b","kind":"addTag","tag":"loop"}]}""", "steps[1].tag" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task A_cycle_an_empty_branch_an_unknown_step_kind_or_a_bad_field_is_a_400_and_nothing_is_saved(string json, string field)
    {
        using var response = await Admin.PostAsync("/api/workflows", RawJson(json));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field.Length == 0 ? null : field);
        Assert.Equal(0, (await Json(await Admin.GetAsync("/api/workflows"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Another_tenants_template_is_a_404_and_another_tenants_events_start_nothing()
    {
        var (_, adminB) = await UserAsync(TenantB, "automation@b.example", UserRole.TenantAdmin);
        using var _ = adminB;
        var templateOfB = await TemplateAsync(adminB);
        using (var foreign = await Admin.PostAsJsonAsync("/api/workflows", Nurture(templateOfB)))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        Assert.Equal(0, (await Json(await Admin.GetAsync("/api/workflows"))).GetProperty("totalCount").GetInt32());

        // Both tenants run the same workflow on the same tag; A's tag starts A's only.
        var workflowA = (await CreateAsync(Admin, Nurture(await TemplateAsync(Admin)))).GetProperty("id").GetString();
        var workflowB = (await CreateAsync(adminB, Nurture(templateOfB))).GetProperty("id").GetString()!;
        var lead = await LeadAsync(Admin, "shared@example.com");
        await TagAsync(Admin, lead, "newsletter");
        await RunAsync();
        Assert.Equal(1, (await Json(await Admin.GetAsync($"/api/workflow-executions?workflowId={workflowA}"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await Json(await adminB.GetAsync("/api/workflow-executions"))).GetProperty("totalCount").GetInt32());
        var execution = (await Json(await Admin.GetAsync("/api/workflow-executions"))).GetProperty("items")[0].GetProperty("id").GetString();
        using (var read = await adminB.GetAsync($"/api/workflow-executions/{execution}"))
            await AssertProblemAsync(read, HttpStatusCode.NotFound);
        using (var cancel = await adminB.PostAsync($"/api/workflow-executions/{execution}/cancel", null))
            await AssertProblemAsync(cancel, HttpStatusCode.NotFound);
        using (var workflow = await adminB.GetAsync($"/api/workflows/{workflowA}"))
            await AssertProblemAsync(workflow, HttpStatusCode.NotFound);
        Assert.Equal([workflowB], Ids(await Json(await adminB.GetAsync("/api/workflows"))));
    }

    [GeneratedRegex("<img src=\"([^\"]+)\"")]
    private static partial Regex PixelUrl();

    [GeneratedRegex("href=\"([^\"]*unsubscribe[^\"]+)\"")]
    private static partial Regex UnsubscribeUrl();
}
