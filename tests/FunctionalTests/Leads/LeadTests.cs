using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Leads;

public sealed class LeadTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task<JsonElement> CreateLeadAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/leads", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        Assert.Equal($"/api/leads/{JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()}", response.Headers.Location!.OriginalString);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Id(JsonElement lead) => lead.GetProperty("id").GetString()!;

    private static string ETag(JsonElement lead) => $"\"{lead.GetProperty("version").GetInt32()}\"";

    [Fact]
    public async Task Create_then_get_returns_the_lead_new_with_its_capture_time_and_etag()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var created = await CreateLeadAsync(A, new
        {
            firstName = " Ada ", lastName = "Lovelace", email = "ada@engine.example", phone = "+44 20 0000", companyName = "Analytical Engines",
            source = "webForm", interest = "Difference engines", volumeTier = "high", notes = "Met at the fair", tags = new[] { "Trade  Show", "trade-show" },
        });

        using var response = await A.GetAsync($"/api/leads/{Id(created)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ETag(created), response.Headers.ETag!.Tag);
        var lead = await Json(response);
        Assert.Equal("Ada", lead.GetProperty("firstName").GetString());
        Assert.Equal("new", lead.GetProperty("status").GetString());
        Assert.Equal("webForm", lead.GetProperty("source").GetString());
        Assert.Equal("high", lead.GetProperty("volumeTier").GetString());
        Assert.Equal(["trade-show"], lead.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(lead.GetProperty("capturedAt").GetDateTimeOffset() >= before);
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("convertedCustomerId").ValueKind);
        Assert.Equal($"client:{TenantA.ClientId}", lead.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task The_pipeline_moves_forward_refuses_illegal_moves_with_their_rule_and_reopens_a_lost_lead_to_nurturing()
    {
        var id = Id(await CreateLeadAsync(A, new { firstName = "Grace", lastName = "Hopper" }));

        async Task<HttpResponseMessage> Move(object body) => await A.PostAsJsonAsync($"/api/leads/{id}/status", body);

        using (var engaged = await Move(new { status = "engaged" }))
            Assert.Equal("engaged", (await Json(engaged)).GetProperty("status").GetString());
        using (var back = await Move(new { status = "new" }))
            await AssertProblemAsync(back, HttpStatusCode.Conflict, "lead-status-transition");
        using (var converted = await Move(new { status = "converted" }))
            await AssertProblemAsync(converted, HttpStatusCode.Conflict, "lead-convert-required");
        using (var noReason = await Move(new { status = "lost" }))
            await AssertProblemAsync(noReason, HttpStatusCode.Conflict, "lead-lost-reason-required");
        using (var lost = await Move(new { status = "lost", lostReason = "Chose a competitor" }))
        {
            var body = await Json(lost);
            Assert.Equal("lost", body.GetProperty("status").GetString());
            Assert.Equal("Chose a competitor", body.GetProperty("lostReason").GetString());
        }
        using (var jump = await Move(new { status = "qualified" }))
            await AssertProblemAsync(jump, HttpStatusCode.Conflict, "lead-status-transition");
        using (var reopened = await Move(new { status = "nurturing" }))
        {
            var body = await Json(reopened);
            Assert.Equal("nurturing", body.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("lostReason").ValueKind);
        }
    }

    [Fact]
    public async Task List_filters_searches_sorts_and_pages_and_another_tenant_sees_none_of_it()
    {
        var ada = await CreateLeadAsync(A, new { firstName = "Ada", lastName = "Lovelace", companyName = "Analytical Engines", source = "referral", volumeTier = "high", tags = new[] { "vip" } });
        var alan = await CreateLeadAsync(A, new { firstName = "Alan", lastName = "Turing", email = "alan@bletchley.example", source = "webForm", volumeTier = "low" });
        var grace = await CreateLeadAsync(A, new { firstName = "Grace", lastName = "Hopper", companyName = "Navy Compilers", source = "webForm" });
        using (var moved = await A.PostAsJsonAsync($"/api/leads/{Id(grace)}/status", new { status = "qualified" }))
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await CreateLeadAsync(B, new { firstName = "Ada", lastName = "Other", companyName = "Analytical Engines" });

        async Task<List<string>> IdsOf(string query) => Ids(await Json(await A.GetAsync("/api/leads" + query)));

        Assert.Equal([Id(grace), Id(alan), Id(ada)], await IdsOf("")); // newest captured first
        Assert.Equal([Id(grace), Id(ada), Id(alan)], await IdsOf("?sort=name&direction=asc")); // Hopper, Lovelace, Turing
        Assert.Equal([Id(grace)], await IdsOf("?status=qualified"));
        Assert.Equal([Id(grace), Id(alan)], await IdsOf("?source=webForm"));
        Assert.Equal([Id(alan)], await IdsOf("?volumeTier=low"));
        Assert.Equal([Id(ada)], await IdsOf("?tag=VIP"));
        Assert.Equal([Id(ada)], await IdsOf("?search=analytical"));
        Assert.Equal([Id(alan)], await IdsOf("?search=BLETCHLEY"));
        var page = await Json(await A.GetAsync("/api/leads?pageSize=2&page=2"));
        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal([Id(ada)], Ids(page));

        var others = await Json(await B.GetAsync("/api/leads?search=analytical"));
        Assert.DoesNotContain(Id(ada), Ids(others));
        using var foreign = await B.GetAsync($"/api/leads/{Id(ada)}");
        await AssertProblemAsync(foreign, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Update_assign_tag_contact_and_delete_follow_if_match_and_refuse_a_foreign_assignee()
    {
        var created = await CreateLeadAsync(A, new { firstName = "Katherine", lastName = "Johnson" });
        var id = Id(created);

        using (var update = await A.SendAsync(Request(HttpMethod.Put, $"/api/leads/{id}",
                   new { firstName = "Katherine", lastName = "Johnson", companyName = "NASA", source = "referral" }, ETag(created))))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
            Assert.Equal("NASA", (await Json(update)).GetProperty("companyName").GetString());
        }
        using (var stale = await A.SendAsync(Request(HttpMethod.Put, $"/api/leads/{id}", new { firstName = "Lost", lastName = "Update", source = "manual" }, ETag(created))))
            await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);

        var foreignUser = await Factory.AddUserAsync(TenantB, "someone@b.example");
        using (var foreign = await A.PutAsJsonAsync($"/api/leads/{id}/assignee", new { assigneeId = foreignUser.Id }))
            await AssertProblemAsync(foreign, HttpStatusCode.BadRequest, field: "assigneeId");
        var member = await Factory.AddUserAsync(TenantA, "member@a.example", UserRole.Member);
        using (var assigned = await A.PutAsJsonAsync($"/api/leads/{id}/assignee", new { assigneeId = member.Id }))
            Assert.Equal(member.Id, (await Json(assigned)).GetProperty("assigneeId").GetGuid());

        using (var tagged = await A.PostAsJsonAsync($"/api/leads/{id}/tags", new { tags = new[] { "Space", "Math" } }))
            Assert.Equal(["space", "math"], (await Json(tagged)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        using (var untagged = await A.DeleteAsync($"/api/leads/{id}/tags/space"))
            Assert.Equal(["math"], (await Json(untagged)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        using (var contacted = await A.PostAsync($"/api/leads/{id}/contacted", null))
            Assert.NotEqual(JsonValueKind.Null, (await Json(contacted)).GetProperty("lastContactedAt").ValueKind);

        using (var byB = await B.DeleteAsync($"/api/leads/{id}"))
            await AssertProblemAsync(byB, HttpStatusCode.NotFound, "not-found");
        using (var deleted = await A.DeleteAsync($"/api/leads/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await A.GetAsync($"/api/leads/{id}");
        await AssertProblemAsync(gone, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("{\"lastName\":\"Lovelace\"}", "firstName")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"volumeTier\":\"huge\"}", "volumeTier")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"source\":\"webform \"}", "source")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"not an address\"}", "email")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"status\":\"qualified\"}", "status")]
    [InlineData("{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"tags\":[\"  \"]}", "tags")]
    public async Task A_create_outside_the_contract_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var response = await A.PostAsync("/api/leads", RawJson(body));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal(0, (await Json(await A.GetAsync("/api/leads"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_too_long_lost_reason_and_an_unknown_list_filter_are_400s_naming_them()
    {
        var id = Id(await CreateLeadAsync(A, new { firstName = "Ada", lastName = "Lovelace" }));
        using (var longReason = await A.PostAsJsonAsync($"/api/leads/{id}/status", new { status = "lost", lostReason = new string('x', 501) }))
            await AssertProblemAsync(longReason, HttpStatusCode.BadRequest, field: "lostReason");
        using (var badFilter = await A.GetAsync("/api/leads?status=won"))
            await AssertProblemAsync(badFilter, HttpStatusCode.BadRequest, field: "status");
        Assert.Equal("new", (await Json(await A.GetAsync($"/api/leads/{id}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Under_owner_only_a_member_sees_their_own_leads_and_not_another_members()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (m1, asM1) = await UserAsync(TenantA, "m1@a.example");
        var (_, asM2) = await UserAsync(TenantA, "m2@a.example");
        var mine = await CreateLeadAsync(asM1, new { firstName = "Owned", lastName = "ByOne" });
        Assert.Equal(m1.Id, mine.GetProperty("ownerId").GetGuid());
        using (var visibility = await admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
            Assert.Equal(HttpStatusCode.OK, visibility.StatusCode);

        Assert.Contains(Id(mine), Ids(await Json(await asM1.GetAsync("/api/leads"))));
        Assert.DoesNotContain(Id(mine), Ids(await Json(await asM2.GetAsync("/api/leads?search=byone"))));
        using (var hidden = await asM2.GetAsync($"/api/leads/{Id(mine)}"))
            await AssertProblemAsync(hidden, HttpStatusCode.NotFound, "not-found");
        using (var move = await asM2.PostAsJsonAsync($"/api/leads/{Id(mine)}/status", new { status = "engaged" }))
            await AssertProblemAsync(move, HttpStatusCode.NotFound, "not-found");
        Assert.Contains(Id(mine), Ids(await Json(await admin.GetAsync("/api/leads"))));
        admin.Dispose();
        asM1.Dispose();
        asM2.Dispose();
    }

    [Fact]
    public async Task Converting_creates_the_customer_and_its_primary_contact_once_and_again_answers_the_same_customer()
    {
        var lead = await CreateLeadAsync(A, new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example", companyName = "Analytical Engines", source = "referral", tags = new[] { "vip" } });

        using var first = await A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { });
        var converted = await Json(first);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("converted", converted.GetProperty("status").GetString());
        var customerId = converted.GetProperty("convertedCustomerId").GetString()!;

        var customer = await Json(await A.GetAsync($"/api/customers/{customerId}"));
        Assert.Equal("Analytical Engines", customer.GetProperty("name").GetString());
        Assert.Equal("referral", customer.GetProperty("source").GetString());
        Assert.Equal(["vip"], customer.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, customer.GetProperty("contactCount").GetInt32());
        var contacts = await Json(await A.GetAsync($"/api/contacts?customerId={customerId}"));
        var contact = Assert.Single(contacts.GetProperty("items").EnumerateArray());
        Assert.Equal("ada@engine.example", contact.GetProperty("email").GetString());
        Assert.True(contact.GetProperty("isPrimary").GetBoolean());

        using (var again = await A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { }))
            Assert.Equal(customerId, (await Json(again)).GetProperty("convertedCustomerId").GetString());
        using (var elsewhere = await A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { customerId = (await CreateCustomerAsync(A, new { name = "Other" })).GetProperty("id").GetString() }))
            await AssertProblemAsync(elsewhere, HttpStatusCode.Conflict, "lead-already-converted");
        Assert.Equal(1, (await Json(await A.GetAsync("/api/customers?search=analytical"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Concurrent_conversions_of_one_lead_make_exactly_one_customer()
    {
        var lead = await CreateLeadAsync(A, new { firstName = "Grace", lastName = "Hopper", companyName = "Parallel Compilers" });

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { })));

        var customers = new HashSet<string>();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                customers.Add((await Json(response)).GetProperty("convertedCustomerId").GetString()!);
            }
        }
        Assert.Single(customers);
        Assert.Equal(1, (await Json(await A.GetAsync("/api/customers?search=parallel compilers"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Converting_into_an_existing_customer_links_it_and_another_tenants_customer_is_a_404_that_changes_nothing()
    {
        var lead = await CreateLeadAsync(A, new { firstName = "Alan", lastName = "Turing" });
        var foreign = (await CreateCustomerAsync(B, new { name = "B's customer" })).GetProperty("id").GetString();
        using (var cross = await A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { customerId = foreign }))
            await AssertProblemAsync(cross, HttpStatusCode.NotFound, "not-found");
        Assert.Equal("new", (await Json(await A.GetAsync($"/api/leads/{Id(lead)}"))).GetProperty("status").GetString());

        var mine = (await CreateCustomerAsync(A, new { name = "Bletchley Park" })).GetProperty("id").GetString();
        using (var linked = await A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { customerId = mine }))
            Assert.Equal(mine, (await Json(linked)).GetProperty("convertedCustomerId").GetString());
        Assert.Equal(0, (await Json(await A.GetAsync($"/api/customers/{mine}"))).GetProperty("contactCount").GetInt32());

        var lost = await CreateLeadAsync(A, new { firstName = "Lost", lastName = "Lead" });
        using (var move = await A.PostAsJsonAsync($"/api/leads/{Id(lost)}/status", new { status = "lost", lostReason = "Gone" }))
            Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        using (var refused = await A.PostAsJsonAsync($"/api/leads/{Id(lost)}/convert", new { }))
            await AssertProblemAsync(refused, HttpStatusCode.Conflict, "lead-closed");
    }

    [Fact]
    public async Task Converting_a_lead_whose_email_is_already_a_contacts_is_a_409_that_creates_nothing()
    {
        await CreateContactAsync(A, new { firstName = "Known", lastName = "Person", email = "known@person.example" });
        var lead = await CreateLeadAsync(A, new { firstName = "Known", lastName = "Person", email = "KNOWN@person.example", companyName = "Known Holdings" });

        using (var refused = await A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { }))
            await AssertProblemAsync(refused, HttpStatusCode.Conflict, "contact-email-taken");

        Assert.Equal("new", (await Json(await A.GetAsync($"/api/leads/{Id(lead)}"))).GetProperty("status").GetString());
        Assert.Equal(0, (await Json(await A.GetAsync("/api/customers?search=known holdings"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Deleting_the_customer_of_a_converted_lead_leaves_the_lead_converted_without_it()
    {
        var lead = await CreateLeadAsync(A, new { firstName = "Short", lastName = "Lived", companyName = "Short Lived Ltd" });
        string customerId;
        using (var converted = await A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { }))
            customerId = (await Json(converted)).GetProperty("convertedCustomerId").GetString()!;

        using (var deleted = await A.DeleteAsync($"/api/customers/{customerId}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var after = await Json(await A.GetAsync($"/api/leads/{Id(lead)}"));
        Assert.Equal("converted", after.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("convertedCustomerId").ValueKind);
    }

    [Fact]
    public async Task A_lead_without_a_company_and_with_the_longest_names_converts_into_a_customer_named_within_its_limit()
    {
        var lead = await CreateLeadAsync(A, new { firstName = new string('f', 100), lastName = new string('l', 100) });

        using var converted = await A.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { });
        var customerId = (await Json(converted)).GetProperty("convertedCustomerId").GetString();

        Assert.Equal(200, (await Json(await A.GetAsync($"/api/customers/{customerId}"))).GetProperty("name").GetString()!.Length);
    }

    [Fact]
    public async Task A_status_move_without_a_status_is_a_400_naming_it()
    {
        var id = Id(await CreateLeadAsync(A, new { firstName = "Ada", lastName = "Lovelace" }));
        using var response = await A.PostAsJsonAsync($"/api/leads/{id}/status", new { lostReason = "why" });
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: "status");
    }

    [Fact]
    public async Task Under_owner_only_the_assignee_who_converts_sees_the_customer_and_its_contact_and_no_hidden_customer()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (m1, asM1) = await UserAsync(TenantA, "m1@a.example");
        var (_, asM2) = await UserAsync(TenantA, "m2@a.example");
        var lead = await CreateLeadAsync(admin, new { firstName = "Handed", lastName = "Over", email = "handed@over.example", companyName = "Handed Over Inc" });
        using (var assign = await admin.PutAsJsonAsync($"/api/leads/{Id(lead)}/assignee", new { assigneeId = m1.Id }))
            Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        var hidden = (await CreateCustomerAsync(asM2, new { name = "M2's own" })).GetProperty("id").GetString();
        using (var visibility = await admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
            Assert.Equal(HttpStatusCode.OK, visibility.StatusCode);

        using (var intoHidden = await asM1.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { customerId = hidden }))
            await AssertProblemAsync(intoHidden, HttpStatusCode.NotFound, "not-found");
        using var converted = await asM1.PostAsJsonAsync($"/api/leads/{Id(lead)}/convert", new { });
        var customerId = (await Json(converted)).GetProperty("convertedCustomerId").GetString();

        Assert.Equal(1, (await Json(await asM1.GetAsync($"/api/customers/{customerId}"))).GetProperty("contactCount").GetInt32());
        Assert.Single((await Json(await asM1.GetAsync($"/api/contacts?customerId={customerId}"))).GetProperty("items").EnumerateArray());
        admin.Dispose();
        asM1.Dispose();
        asM2.Dispose();
    }
}
