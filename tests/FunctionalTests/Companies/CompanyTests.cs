using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Companies;

/// <summary>
/// Companies (business units) of a tenant: the administrators define them, customers and leads belong to one, lists,
/// statistics and the dashboard can be asked for one; another tenant's company is a 404 like any id.
/// </summary>
public sealed class CompanyTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task<string> CompanyAsync(HttpClient admin, string name)
    {
        using var response = await admin.PostAsJsonAsync("/api/companies", new { name, description = $"{name} business unit" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task OkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Administrators_define_companies_names_are_unique_and_members_only_read_them()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, member) = await UserAsync(TenantA, "member@a.example");
        var north = await CompanyAsync(admin, "North Brand");
        await CompanyAsync(admin, "South Brand");

        using (var duplicate = await admin.PostAsJsonAsync("/api/companies", new { name = "  north brand " }))
            await AssertProblemAsync(duplicate, HttpStatusCode.Conflict, "company-name-taken");
        using (var byMember = await member.PostAsJsonAsync("/api/companies", new { name = "Rogue" }))
            Assert.Equal(HttpStatusCode.Forbidden, byMember.StatusCode);
        Assert.Equal(2, (await Json(await member.GetAsync("/api/companies"))).GetProperty("totalCount").GetInt32());
        Assert.Equal([north], Ids(await Json(await member.GetAsync("/api/companies?search=north"))));

        using (var renamed = await admin.PutAsJsonAsync($"/api/companies/{north}", new { name = "North Group", description = (string?)null }))
            Assert.Equal("North Group", (await Json(renamed)).GetProperty("name").GetString());
        using (var read = await member.GetAsync($"/api/companies/{north}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.NotNull(read.Headers.ETag);
        }
        using (var deleted = await admin.DeleteAsync($"/api/companies/{north}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        admin.Dispose();
        member.Dispose();
    }

    [Fact]
    public async Task Customers_and_leads_belong_to_a_company_and_lists_stats_and_the_dashboard_can_be_asked_for_one()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var north = await CompanyAsync(admin, "North");
        var south = await CompanyAsync(admin, "South");
        var inNorth = (await CreateCustomerAsync(A, new { name = "Northern customer", source = "web", companyId = north })).GetProperty("id").GetString()!;
        await CreateCustomerAsync(A, new { name = "Southern customer", source = "referral", companyId = south });
        await CreateCustomerAsync(A, new { name = "No company", source = "web" });
        using var lead = await A.PostAsJsonAsync("/api/leads", new { firstName = "Ada", lastName = "North", companyId = north });
        var leadId = (await Json(lead)).GetProperty("id").GetString()!;

        Assert.Equal([inNorth], Ids(await Json(await A.GetAsync($"/api/customers?companyId={north}"))));
        Assert.Equal([leadId], Ids(await Json(await A.GetAsync($"/api/leads?companyId={north}"))));
        Assert.Equal(1, (await Json(await A.GetAsync($"/api/customers/stats?companyId={south}"))).GetProperty("total").GetInt32());
        var dashboard = await Json(await A.GetAsync($"/api/analytics/dashboard?companyId={north}"));
        Assert.Equal(1, dashboard.GetProperty("customers").GetProperty("total").GetInt32());
        Assert.Equal(1, dashboard.GetProperty("leads").GetProperty("total").GetInt32());

        // A conversion keeps the company; a company with records cannot be deleted.
        using var converted = await A.PostAsJsonAsync($"/api/leads/{leadId}/convert", new { });
        var customer = (await Json(converted)).GetProperty("convertedCustomerId").GetString();
        Assert.Equal(north, (await Json(await A.GetAsync($"/api/customers/{customer}"))).GetProperty("companyId").GetString());
        using (var inUse = await admin.DeleteAsync($"/api/companies/{north}"))
            await AssertProblemAsync(inUse, HttpStatusCode.Conflict);
        Assert.Equal(2, (await Json(await A.GetAsync("/api/companies"))).GetProperty("totalCount").GetInt32());
        admin.Dispose();
    }

    [Fact]
    public async Task Another_tenants_company_is_a_404_everywhere_and_changes_nothing()
    {
        var (_, adminA) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, adminB) = await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
        var companyOfA = await CompanyAsync(adminA, "Only A's");

        using (var read = await B.GetAsync($"/api/companies/{companyOfA}"))
            await AssertProblemAsync(read, HttpStatusCode.NotFound, "not-found");
        using (var rename = await adminB.PutAsJsonAsync($"/api/companies/{companyOfA}", new { name = "Taken over" }))
            await AssertProblemAsync(rename, HttpStatusCode.NotFound, "not-found");
        using (var delete = await adminB.DeleteAsync($"/api/companies/{companyOfA}"))
            await AssertProblemAsync(delete, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(0, (await Json(await B.GetAsync("/api/companies"))).GetProperty("totalCount").GetInt32());
        using (var customer = await B.PostAsJsonAsync("/api/customers", new { name = "Planted", source = "web", companyId = companyOfA }))
            await AssertProblemAsync(customer, HttpStatusCode.NotFound, "not-found");
        using (var lead = await B.PostAsJsonAsync("/api/leads", new { firstName = "Planted", lastName = "Lead", companyId = companyOfA }))
            await AssertProblemAsync(lead, HttpStatusCode.NotFound, "not-found");
        // A filter by another tenant's company finds nothing, as a filter by any id that is not the caller's does.
        Assert.Equal(0, (await Json(await B.GetAsync($"/api/customers?companyId={companyOfA}"))).GetProperty("totalCount").GetInt32());
        Assert.Equal(0, (await Json(await B.GetAsync($"/api/analytics/dashboard?companyId={companyOfA}"))).GetProperty("customers").GetProperty("total").GetInt32());
        Assert.Equal(0, (await Json(await B.GetAsync("/api/customers"))).GetProperty("totalCount").GetInt32());
        Assert.Equal("Only A's", (await Json(await A.GetAsync($"/api/companies/{companyOfA}"))).GetProperty("name").GetString());
        adminA.Dispose();
        adminB.Dispose();
    }

    [Fact]
    public async Task A_capture_matches_only_its_companys_lead_a_conversion_stays_in_the_company_and_names_ignore_spacing()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var north = await CompanyAsync(admin, "North");
        var south = await CompanyAsync(admin, "South");
        var (id, secret) = await Factory.AddClientAsync(TenantA.Id, "a-company-forms", "crm.capture");
        using var form = Factory.CreateClient();
        form.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await Factory.TokenAsync(id, secret));

        using var inNorth = await form.PostAsJsonAsync("/api/leads/capture", new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example", companyId = north });
        Assert.Equal(HttpStatusCode.Created, inNorth.StatusCode);
        var northLead = (await Json(inNorth)).GetProperty("leadId").GetString();
        using (var inSouth = await form.PostAsJsonAsync("/api/leads/capture", new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example", companyId = south }))
        {
            Assert.Equal(HttpStatusCode.Created, inSouth.StatusCode);
            Assert.NotEqual(northLead, (await Json(inSouth)).GetProperty("leadId").GetString());
        }
        using (var again = await form.PostAsJsonAsync("/api/leads/capture", new { firstName = "Ada", lastName = "Lovelace", email = "ADA@engine.example", companyId = north }))
            Assert.Equal(northLead, (await Json(again)).GetProperty("leadId").GetString());
        using (var noCompany = await form.PostAsJsonAsync("/api/leads/capture", new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example" }))
            Assert.Equal(HttpStatusCode.Created, noCompany.StatusCode);
        var (_, adminB) = await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin);
        var companyOfB = await CompanyAsync(adminB, "B's");
        using (var foreign = await form.PostAsJsonAsync("/api/leads/capture", new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example", companyId = companyOfB }))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(3, (await Json(await A.GetAsync("/api/leads"))).GetProperty("totalCount").GetInt32());

        var southCustomer = (await CreateCustomerAsync(A, new { name = "Southern", source = "web", companyId = south })).GetProperty("id").GetString();
        using (var across = await A.PostAsJsonAsync($"/api/leads/{northLead}/convert", new { customerId = southCustomer }))
            await AssertProblemAsync(across, HttpStatusCode.Conflict, "lead-customer-company");
        using (var spaced = await admin.PostAsJsonAsync("/api/companies", new { name = "  north  " }))
            await AssertProblemAsync(spaced, HttpStatusCode.Conflict, "company-name-taken");
        using (var renamed = await admin.PutAsJsonAsync($"/api/companies/{south}", new { name = "NORTH" }))
            await AssertProblemAsync(renamed, HttpStatusCode.Conflict, "company-name-taken");
        admin.Dispose();
        adminB.Dispose();
    }

    [Theory]
    [InlineData("{\"name\":\"\"}", "name")]
    [InlineData("{\"name\":\"Ok\",\"unknown\":1}", "unknown")]
    [InlineData("{\"name\":\"Ok\",\"description\":7}", "description")]
    [InlineData("{\"name\":", "")]
    public async Task A_company_outside_the_contract_is_a_400_that_writes_nothing(string body, string field)
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        if (field == "name")
            body = "{\"name\":\"" + new string('x', 201) + "\"}";
        using var response = await admin.PostAsync("/api/companies", RawJson(body));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field.Length == 0 ? null : field);
        Assert.Equal(0, (await Json(await A.GetAsync("/api/companies"))).GetProperty("totalCount").GetInt32());
        using (var badId = await A.GetAsync("/api/customers?companyId=not-a-guid"))
            await AssertProblemAsync(badId, HttpStatusCode.BadRequest, field: "companyId");
        admin.Dispose();
    }
}
