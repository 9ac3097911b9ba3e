using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Hosting;

namespace CrmTenancy.FunctionalTests.Leads;

/// <summary>
/// Lead capture: a tenant's web forms and landing pages send people in with a client that holds crm.capture only. The
/// same email finds the tenant's open lead and updates it; another tenant's lead with that email is never found.
/// </summary>
public sealed class LeadCaptureTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<HttpClient> CaptureClientAsync(TestTenant tenant, string clientId, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>? host = null)
    {
        var (id, secret) = await Factory.AddClientAsync(tenant.Id, clientId, "crm.capture");
        host ??= Factory;
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiFactory.TokenAsync(host, id, secret));
        return client;
    }

    private static HttpRequestMessage Capture(object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads/capture") { Content = JsonContent.Create(body) };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<JsonElement> LeadAsync(HttpClient reader, string id) => await Json(await reader.GetAsync($"/api/leads/{id}"));

    private static string[] Tags(JsonElement lead) => lead.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray();

    [Fact]
    public async Task A_capture_client_creates_an_unowned_web_form_lead_and_can_do_nothing_else()
    {
        using var form = await CaptureClientAsync(TenantA, "a-landing-page");

        using var created = await form.SendAsync(Capture(new { firstName = "Grace", lastName = "Hopper", email = "grace@navy.example", interest = "Compilers", tags = new[] { "Spring Fair" } }));
        var answer = await Json(created);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("created", answer.GetProperty("outcome").GetString());
        var id = answer.GetProperty("leadId").GetString()!;
        Assert.Equal($"/api/leads/{id}", created.Headers.Location!.OriginalString);

        var lead = await LeadAsync(A, id);
        Assert.Equal("webForm", lead.GetProperty("source").GetString());
        Assert.Equal("new", lead.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("ownerId").ValueKind);
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("assigneeId").ValueKind);
        Assert.Equal(lead.GetProperty("capturedAt").GetDateTimeOffset(), lead.GetProperty("lastCapturedAt").GetDateTimeOffset());
        Assert.Equal(["spring-fair"], Tags(lead));
        Assert.Equal("client:a-landing-page", lead.GetProperty("createdBy").GetString());

        using (var list = await form.GetAsync("/api/leads"))
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using (var read = await form.GetAsync($"/api/leads/{id}"))
            Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        using (var create = await form.PostAsJsonAsync("/api/leads", new { firstName = "Not", lastName = "Allowed" }))
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        using (var customers = await form.GetAsync("/api/customers"))
            Assert.Equal(HttpStatusCode.Forbidden, customers.StatusCode);
    }

    [Fact]
    public async Task The_same_email_again_updates_the_open_lead_adding_the_source_as_a_tag_and_overwriting_nothing()
    {
        using var form = await CaptureClientAsync(TenantA, "a-forms");
        using var first = await form.SendAsync(Capture(new { firstName = "Grace", lastName = "Hopper", email = "grace@navy.example" }));
        var id = (await Json(first)).GetProperty("leadId").GetString()!;
        var before = await LeadAsync(A, id);
        using (var edited = await A.PutAsJsonAsync($"/api/leads/{id}", new { firstName = "Rear Admiral Grace", lastName = "Hopper", email = "grace@navy.example", source = "webForm" }))
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        using var again = await form.SendAsync(Capture(new
        {
            firstName = "G.", lastName = "H.", email = "  GRACE@Navy.Example ", phone = "+1 555 0100", companyName = "US Navy", source = "referral", tags = new[] { "cobol" },
        }));
        var answer = await Json(again);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("updated", answer.GetProperty("outcome").GetString());
        Assert.Equal(id, answer.GetProperty("leadId").GetString());

        var lead = await LeadAsync(A, id);
        Assert.Equal("Rear Admiral Grace", lead.GetProperty("firstName").GetString());
        Assert.Equal("Hopper", lead.GetProperty("lastName").GetString());
        Assert.Equal("grace@navy.example", lead.GetProperty("email").GetString());
        Assert.Equal("webForm", lead.GetProperty("source").GetString());
        Assert.Equal("+1 555 0100", lead.GetProperty("phone").GetString());
        Assert.Equal("US Navy", lead.GetProperty("companyName").GetString());
        Assert.Equal(["referral", "cobol"], Tags(lead));
        Assert.True(lead.GetProperty("lastCapturedAt").GetDateTimeOffset() > before.GetProperty("lastCapturedAt").GetDateTimeOffset());
        Assert.Equal(before.GetProperty("capturedAt").GetDateTimeOffset(), lead.GetProperty("capturedAt").GetDateTimeOffset());
        Assert.Equal(1, (await Json(await A.GetAsync("/api/leads"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Another_tenants_lead_with_the_same_email_is_never_matched_or_changed()
    {
        using var formA = await CaptureClientAsync(TenantA, "a-forms");
        using var formB = await CaptureClientAsync(TenantB, "b-forms");
        using var inA = await formA.SendAsync(Capture(new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example" }));
        var leadA = await LeadAsync(A, (await Json(inA)).GetProperty("leadId").GetString()!);

        using var inB = await formB.SendAsync(Capture(new { firstName = "Ada", lastName = "Byron", email = "ada@engine.example", phone = "+44 20 0000", source = "referral" }));
        Assert.Equal(HttpStatusCode.Created, inB.StatusCode);
        var idB = (await Json(inB)).GetProperty("leadId").GetString()!;
        Assert.NotEqual(leadA.GetProperty("id").GetString(), idB);

        var after = await LeadAsync(A, leadA.GetProperty("id").GetString()!);
        Assert.Equal(leadA.GetProperty("version").GetInt32(), after.GetProperty("version").GetInt32());
        Assert.Empty(Tags(after));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("phone").ValueKind);
        Assert.DoesNotContain(idB, Ids(await Json(await A.GetAsync("/api/leads"))));
        using var foreign = await A.GetAsync($"/api/leads/{idB}");
        await AssertProblemAsync(foreign, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_lost_or_converted_lead_is_not_matched_a_new_lead_is_captured()
    {
        using var form = await CaptureClientAsync(TenantA, "a-forms");
        using var first = await form.SendAsync(Capture(new { firstName = "Alan", lastName = "Turing", email = "alan@bletchley.example" }));
        var lostId = (await Json(first)).GetProperty("leadId").GetString()!;
        using (var lost = await A.PostAsJsonAsync($"/api/leads/{lostId}/status", new { status = "lost", lostReason = "No budget" }))
            Assert.Equal(HttpStatusCode.OK, lost.StatusCode);

        using var again = await form.SendAsync(Capture(new { firstName = "Alan", lastName = "Turing", email = "alan@bletchley.example" }));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.NotEqual(lostId, (await Json(again)).GetProperty("leadId").GetString());
        Assert.Equal(2, (await Json(await A.GetAsync("/api/leads"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_answers_the_first_answer_and_another_body_is_a_409()
    {
        using var form = await CaptureClientAsync(TenantA, "a-forms");
        var body = new { firstName = "Katherine", lastName = "Johnson", email = "katherine@nasa.example" };
        using var first = await form.SendAsync(Capture(body, "form-submission-1"));
        using var replay = await form.SendAsync(Capture(body, "form-submission-1"));

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        var lead = await LeadAsync(A, (await Json(first)).GetProperty("leadId").GetString()!);
        Assert.Equal(1, lead.GetProperty("version").GetInt32());

        using var reused = await form.SendAsync(Capture(new { firstName = "Dorothy", lastName = "Vaughan", email = "dorothy@nasa.example" }, "form-submission-1"));
        await AssertProblemAsync(reused, HttpStatusCode.Conflict, "idempotency-key-reused");
        Assert.Equal(1, (await Json(await A.GetAsync("/api/leads"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Concurrent_captures_of_one_new_person_make_exactly_one_lead()
    {
        using var form = await CaptureClientAsync(TenantA, "a-forms");
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var response = await form.SendAsync(Capture(new { firstName = "Mary", lastName = "Jackson", email = "mary@nasa.example", tags = new[] { $"wave-{i}" } }));
            return (response.StatusCode, (await Json(response)).GetProperty("leadId").GetString());
        }));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Single(answers.Select(a => a.Item2).Distinct());
        var list = await Json(await A.GetAsync("/api/leads"));
        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        Assert.Equal(7, Tags(list.GetProperty("items")[0]).Length); // six waves and "web-form" from the five recaptures
    }

    [Theory]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}", "email")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"not an address\"}", "email")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"ada@engine.example\",\"ownerId\":\"00000000-0000-0000-0000-000000000001\"}", "ownerId")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"ada@engine.example\",\"source\":7}", "source")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"ada@engine.example\",\"interest\":\"", "interest")]
    public async Task A_capture_outside_the_contract_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var form = await CaptureClientAsync(TenantA, "a-forms");
        if (field == "interest")
            body += new string('x', 1001) + "\"}";
        using var response = await form.PostAsync("/api/leads/capture", RawJson(body));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal(0, (await Json(await A.GetAsync("/api/leads"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_capture_without_a_token_is_a_401_never_counted_against_a_client()
    {
        await using var limited = Factory.WithWebHostBuilder(host => host.UseSetting("RateLimits:CapturePerMinute", "1"));
        using var anonymous = limited.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var response = await anonymous.SendAsync(Capture(new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example" }));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_users_token_has_no_capture_scope_and_is_refused()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", Domain.Users.UserRole.TenantAdmin);
        using var response = await admin.SendAsync(Capture(new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example" }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        admin.Dispose();
    }

    [Fact]
    public async Task Captures_over_the_per_client_limit_get_429_and_another_client_is_not_held_back()
    {
        await using var limited = Factory.WithWebHostBuilder(host => host.UseSetting("RateLimits:CapturePerMinute", "2"));
        using var busy = await CaptureClientAsync(TenantA, "a-busy-form", limited);
        using var quiet = await CaptureClientAsync(TenantA, "a-quiet-form", limited);
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await busy.SendAsync(Capture(new { firstName = "Person", lastName = $"{i}", email = $"p{i}@a.example" }));
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }
        using (var refused = await busy.SendAsync(Capture(new { firstName = "Person", lastName = "3", email = "p3@a.example" })))
        {
            await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        using (var other = await quiet.SendAsync(Capture(new { firstName = "Person", lastName = "4", email = "p4@a.example" })))
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(3, (await Json(await A.GetAsync("/api/leads"))).GetProperty("totalCount").GetInt32());
    }
}
