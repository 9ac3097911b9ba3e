using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Isolation;

/// <summary>
/// Tenant B never sees, changes or learns of tenant A's rows: every endpoint answers B's use of A's ids exactly
/// like a missing id (404, same body shape), B's lists and searches never contain A's rows, and A's data is unchanged.
/// </summary>
public sealed class IsolationTests(ApiFactory factory) : ApiTest(factory)
{
    private string _customerId = "";
    private string _contactId = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var customer = await CreateCustomerAsync(A, new { name = "Secret Customer", email = "secret@a.example", tags = new[] { "secret" } });
        _customerId = customer.GetProperty("id").GetString()!;
        var contact = await CreateContactAsync(A, new { firstName = "Secret", lastName = "Contact", email = "contact@a.example", customerId = _customerId });
        _contactId = contact.GetProperty("id").GetString()!;
    }

    public static TheoryData<string, string, string?> ForeignRequests => new()
    {
        { "GET", "/api/customers/{customer}", null },
        { "PUT", "/api/customers/{customer}", """{"name":"Hijacked","source":"web"}""" },
        { "DELETE", "/api/customers/{customer}", null },
        { "POST", "/api/customers/{customer}/status", """{"status":"churned"}""" },
        { "PUT", "/api/customers/{customer}/assignee", """{"assigneeId":null}""" },
        { "POST", "/api/customers/{customer}/tags", """{"tags":["hijacked"]}""" },
        { "DELETE", "/api/customers/{customer}/tags/secret", null },
        { "POST", "/api/customers/{customer}/purchases", """{"amount":10}""" },
        { "GET", "/api/contacts/{contact}", null },
        { "PUT", "/api/contacts/{contact}", """{"firstName":"Hi","lastName":"Jacked","type":"other"}""" },
        { "DELETE", "/api/contacts/{contact}", null },
        { "POST", "/api/contacts/{contact}/primary", null },
    };

    [Theory]
    [MemberData(nameof(ForeignRequests))]
    public async Task Another_tenants_id_answers_404_like_a_missing_one_and_changes_nothing(string method, string template, string? body)
    {
        using var foreign = await B.SendAsync(Build(method, Fill(template, _customerId, _contactId), body));
        using var missing = await B.SendAsync(Build(method, Fill(template, Guid.CreateVersion7().ToString(), Guid.CreateVersion7().ToString()), body));

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var foreignBody = await Json(foreign);
        var missingBody = await Json(missing);
        Assert.Equal(PropertyNames(missingBody), PropertyNames(foreignBody));
        Assert.Equal(missingBody.GetProperty("type").GetString(), foreignBody.GetProperty("type").GetString());
        Assert.Equal(missingBody.GetProperty("detail").GetString(), foreignBody.GetProperty("detail").GetString());

        await AssertTenantAUnchanged();
    }

    [Fact]
    public async Task Linking_a_contact_to_another_tenants_customer_answers_404_and_writes_nothing()
    {
        using var create = await B.PostAsJsonAsync("/api/contacts", new { firstName = "Sneaky", lastName = "Link", customerId = _customerId });
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        Assert.EndsWith("not-found", (await Json(create)).GetProperty("type").GetString());

        var own = (await CreateContactAsync(B, new { firstName = "Own", lastName = "Contact" })).GetProperty("id").GetString();
        using var update = await B.PutAsJsonAsync($"/api/contacts/{own}", new { firstName = "Own", lastName = "Contact", type = "other", customerId = _customerId });
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);

        var contacts = await Json(await B.GetAsync("/api/contacts"));
        Assert.Equal(1, contacts.GetProperty("totalCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, contacts.GetProperty("items")[0].GetProperty("customerId").ValueKind);
        await AssertTenantAUnchanged();
    }

    [Theory]
    [InlineData("/api/customers")]
    [InlineData("/api/customers?search=secret")]
    [InlineData("/api/customers?tag=secret")]
    [InlineData("/api/customers?status=active")]
    [InlineData("/api/customers?sort=updated&direction=desc")]
    [InlineData("/api/contacts")]
    [InlineData("/api/contacts?search=secret")]
    [InlineData("/api/contacts?customerId={customer}")]
    public async Task Lists_and_searches_never_contain_another_tenants_rows(string url)
    {
        await CreateCustomerAsync(B, new { name = "B's own customer" });
        var page = await Json(await B.GetAsync(Fill(url, _customerId, _contactId)));
        var text = page.GetRawText();
        Assert.DoesNotContain(_customerId, text);
        Assert.DoesNotContain(_contactId, text);
        Assert.DoesNotContain("Secret", text);
        Assert.Equal(page.GetProperty("items").GetArrayLength(), page.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task The_same_email_in_two_tenants_does_not_conflict_or_reveal_anything()
    {
        var created = await CreateContactAsync(B, new { firstName = "Other", lastName = "Person", email = "CONTACT@a.example" });
        Assert.Equal("CONTACT@a.example", created.GetProperty("email").GetString());
    }

    private async Task AssertTenantAUnchanged()
    {
        using var customer = await A.GetAsync($"/api/customers/{_customerId}");
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
        var c = await Json(customer);
        Assert.Equal("Secret Customer", c.GetProperty("name").GetString());
        Assert.Equal("active", c.GetProperty("status").GetString());
        Assert.Equal(["secret"], c.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0m, c.GetProperty("totalRevenue").GetDecimal());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("updatedAt").ValueKind);

        using var contact = await A.GetAsync($"/api/contacts/{_contactId}");
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
        var k = await Json(contact);
        Assert.Equal("Secret", k.GetProperty("firstName").GetString());
        Assert.False(k.GetProperty("isPrimary").GetBoolean());
        Assert.Equal(JsonValueKind.Null, k.GetProperty("updatedAt").ValueKind);
    }

    private static string Fill(string template, string customer, string contact) =>
        template.Replace("{customer}", customer).Replace("{contact}", contact);

    private static HttpRequestMessage Build(string method, string url, string? body) =>
        new(new HttpMethod(method), url) { Content = body is null ? null : RawJson(body) };

    private static List<string> PropertyNames(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).Order().ToList();
}
