using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.EmailTemplates;

/// <summary>
/// Email templates: Liquid sources checked at save (the line of the problem named), merged per lead or contact with
/// every value HTML-escaped in the HTML body, previewed and sent as a test; names unique per tenant, and another
/// tenant's template or person is a 404.
/// </summary>
public sealed class EmailTemplateTests(ApiFactory factory) : ApiTest(factory)
{
    private static object Welcome(string name = "Welcome Email") => new
    {
        name,
        subject = "Welcome, {{ first_name }}",
        htmlBody = "<p>Hello {{ first_name }} {{ last_name }} of {{ company }}</p>\n<p>{{ owner_name }}</p><a href=\"{{ unsubscribe_url }}\">Unsubscribe</a>",
        textBody = "Hello {{ first_name | upcase }}{% if company != blank %} of {{ company }}{% endif %}",
    };

    private static async Task<string> CreateAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/email-templates", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string> LeadAsync(HttpClient client, string firstName, string email, string? companyName = null)
    {
        using var response = await client.PostAsJsonAsync("/api/leads", new { firstName, lastName = "Lovelace", email, companyName });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Templates_are_created_read_listed_replaced_and_deleted_and_names_are_unique_per_tenant()
    {
        var id = await CreateAsync(A, Welcome());
        var other = await CreateAsync(B, Welcome());
        Assert.NotEqual(id, other);
        using (var duplicate = await A.PostAsJsonAsync("/api/email-templates", Welcome("  welcome   EMAIL ")))
            await AssertProblemAsync(duplicate, HttpStatusCode.Conflict, "email-template-name-taken");

        using (var read = await A.GetAsync($"/api/email-templates/{id}"))
        {
            var template = await Json(read);
            Assert.Equal("Welcome, {{ first_name }}", template.GetProperty("subject").GetString());
            Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        }
        var list = await Json(await A.GetAsync("/api/email-templates?search=welcome"));
        Assert.Equal([id], Ids(list));
        Assert.False(list.GetProperty("items")[0].TryGetProperty("htmlBody", out _));

        using (var replaced = await A.SendAsync(Request(HttpMethod.Put, $"/api/email-templates/{id}", new
               {
                   name = "Welcome v2", subject = "Hi {{ first_name }}", htmlBody = "<p>Hi</p>", textBody = "Hi",
               }, ifMatch: "\"1\"")))
            Assert.Equal("Welcome v2", (await Json(replaced)).GetProperty("name").GetString());
        using (var stale = await A.SendAsync(Request(HttpMethod.Delete, $"/api/email-templates/{id}", ifMatch: "\"1\"")))
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        using (var deleted = await A.DeleteAsync($"/api/email-templates/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var gone = await A.GetAsync($"/api/email-templates/{id}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("htmlBody", "<p>Hello</p>\n<p>{{ frist_name }}</p>", "Line 2", "frist_name")]
    [InlineData("textBody", "Hi\n\n{% if first_name %}open", "Line", "")]
    [InlineData("subject", "Hi {{ first_name | no_such_filter }}", "Line 1", "no_such_filter")]
    [InlineData("htmlBody", "Hi\n{% include 'secrets' %}", "Line 2", "include")]
    [InlineData("textBody", "{% for x in (1..5) %}{{ x }} {{ tenant.id }}{% endfor %}", "Line 1", "tenant")]
    [InlineData("htmlBody", "<p>{{ first_name | raw }}</p>", "Line 1", "raw")]
    [InlineData("textBody", "Hi\n{% assign x = first_name | append: first_name %}{{ x }}", "Line 2", "assign")]
    [InlineData("textBody", "{% for x in (1..2000000000) %}.{% endfor %}", "Line 1", "range")]
    public async Task A_template_that_does_not_parse_or_names_an_unknown_field_is_a_400_naming_the_field_and_line(
        string field, string source, string line, string named)
    {
        var body = new Dictionary<string, string>
        {
            ["name"] = "Broken", ["subject"] = "Hi", ["htmlBody"] = "<p>Hi</p>", ["textBody"] = "Hi",
            [field] = source,
        };
        using var response = await A.PostAsJsonAsync("/api/email-templates", body);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        var message = problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.Contains(line, message, StringComparison.Ordinal);
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Equal(0, (await Json(await A.GetAsync("/api/email-templates"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Bad_bodies_are_400s_that_write_nothing()
    {
        using (var malformed = await A.PostAsync("/api/email-templates", RawJson("{\"name\": \"x\", ")))
            await AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
        using (var wrongType = await A.PostAsync("/api/email-templates", RawJson("{\"name\": 5, \"subject\": \"s\", \"htmlBody\": \"h\", \"textBody\": \"t\"}")))
            await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest);
        using (var unknown = await A.PostAsync("/api/email-templates", RawJson("{\"name\": \"x\", \"subject\": \"s\", \"htmlBody\": \"h\", \"textBody\": \"t\", \"sender\": \"x\"}")))
            await AssertProblemAsync(unknown, HttpStatusCode.BadRequest);
        using (var tooLong = await A.PostAsJsonAsync("/api/email-templates", new { name = "x", subject = new string('s', 301), htmlBody = "h", textBody = "t" }))
            await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, field: "subject");
        using (var empty = await A.PostAsJsonAsync("/api/email-templates", new { name = "x", subject = "s", htmlBody = "", textBody = "t" }))
            await AssertProblemAsync(empty, HttpStatusCode.BadRequest, field: "htmlBody");
        Assert.Equal(0, (await Json(await A.GetAsync("/api/email-templates"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_preview_merges_a_lead_of_the_tenant_and_escapes_every_value_in_the_html_body()
    {
        var (_, admin) = await UserAsync(TenantA, "owner@a.example", UserRole.TenantAdmin);
        using var _ = admin;
        var id = await CreateAsync(admin, Welcome());
        var lead = await LeadAsync(admin, "<script>alert(1)</script>", "ada@example.com", "Smith & Sons");

        var preview = await Json(await admin.GetAsync($"/api/email-templates/{id}/preview?leadId={lead}"));
        Assert.Equal("ada@example.com", preview.GetProperty("to").GetString());
        Assert.Equal("Welcome, <script>alert(1)</script>", preview.GetProperty("subject").GetString());
        var html = preview.GetProperty("htmlBody").GetString()!;
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Smith &amp; Sons", html, StringComparison.Ordinal);
        Assert.Contains("/unsubscribe?token=", html, StringComparison.Ordinal);
        Assert.Contains("Hello <SCRIPT>ALERT(1)</SCRIPT> of Smith & Sons", preview.GetProperty("textBody").GetString(), StringComparison.Ordinal);

        var example = await Json(await admin.GetAsync($"/api/email-templates/{id}/preview"));
        Assert.Equal("Welcome, Ada", example.GetProperty("subject").GetString());
        using (var both = await admin.GetAsync($"/api/email-templates/{id}/preview?leadId={lead}&contactId={Guid.NewGuid()}"))
            await AssertProblemAsync(both, HttpStatusCode.NotFound);
        // Tenant B's lead, through tenant A's template; and A's template through B: both not found.
        var foreignLead = await LeadAsync(B, "Bea", "bea@example.com");
        using (var foreign = await admin.GetAsync($"/api/email-templates/{id}/preview?leadId={foreignLead}"))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        using (var foreignTemplate = await B.GetAsync($"/api/email-templates/{id}/preview?leadId={foreignLead}"))
            await AssertProblemAsync(foreignTemplate, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_test_send_goes_to_the_caller_merged_for_a_contact_and_a_client_has_no_address()
    {
        var (_, user) = await UserAsync(TenantA, "writer@a.example", UserRole.TenantAdmin);
        using var _ = user;
        var id = await CreateAsync(user, Welcome());
        var contact = (await CreateContactAsync(user, new { firstName = "Grace", lastName = "Hopper", email = "grace.template@example.com", company = "Navy" })).GetProperty("id").GetString();

        using (var sent = await user.PostAsJsonAsync($"/api/email-templates/{id}/test", new { contactId = contact }))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            Assert.Equal("writer@a.example", (await Json(sent)).GetProperty("to").GetString());
        }
        var mail = Factory.LatestMailTo("writer@a.example");
        Assert.NotNull(mail);
        Assert.Contains("Subject: [Test] Welcome, Grace", mail, StringComparison.Ordinal);
        Assert.Contains("multipart/alternative", mail, StringComparison.Ordinal);
        Assert.Contains("<p>Hello Grace Hopper of Navy</p>", mail, StringComparison.Ordinal);
        Assert.Null(Factory.LatestMailTo("grace.template@example.com"));

        // Tenant A's integration (client credentials) has no address to send a test to.
        using (var noAddress = await A.PostAsJsonAsync($"/api/email-templates/{id}/test", new { }))
            await AssertProblemAsync(noAddress, HttpStatusCode.BadRequest, field: "caller");
    }

    [Fact]
    public async Task Another_tenant_never_sees_reads_changes_or_deletes_a_template()
    {
        var id = await CreateAsync(A, Welcome());
        Assert.Empty(Ids(await Json(await B.GetAsync("/api/email-templates"))));
        using (var read = await B.GetAsync($"/api/email-templates/{id}"))
            await AssertProblemAsync(read, HttpStatusCode.NotFound);
        using (var put = await B.PutAsJsonAsync($"/api/email-templates/{id}", Welcome("Taken over")))
            await AssertProblemAsync(put, HttpStatusCode.NotFound);
        using (var delete = await B.DeleteAsync($"/api/email-templates/{id}"))
            await AssertProblemAsync(delete, HttpStatusCode.NotFound);
        using (var test = await B.PostAsJsonAsync($"/api/email-templates/{id}/test", new { }))
            await AssertProblemAsync(test, HttpStatusCode.NotFound);
        Assert.Equal("Welcome Email", (await Json(await A.GetAsync($"/api/email-templates/{id}"))).GetProperty("name").GetString());
    }
}
