using System.Net;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// A body the published contract does not describe is refused (400 naming the field) and changes nothing: fields taken
/// from elsewhere, enum values with spaces or numbers, values a PUT left out that have no empty form, an assignment
/// without an assignee. (Query values with spaces around them: <see cref="BadInputTests"/>.)
/// </summary>
public sealed class StrictParsingTests(ApiFactory factory) : ApiTest(factory)
{
    public static TheoryData<string, string> ForeignFieldsInReplacements => new()
    {
        // body of the PUT, field named in the problem
        { """{"name":"Renamed","source":"web","id":"0198a000-0000-7000-8000-000000000000"}""", "id" },
        { """{"name":"Renamed","source":"web","expectedVersion":1}""", "expectedVersion" },
        { """{"name":"Renamed"}""", "source" },
        { """{"name":"Renamed","source":" web"}""", "source" },
        { """{"name":"Renamed","source":"web "}""", "source" },
        { """{"name":"Renamed","source":"2"}""", "source" },
        { """{"name":"Renamed","source":"web,other"}""", "source" },
        { """{"name":"Renamed","source":"web","companySize":" small"}""", "companySize" },
    };

    [Theory]
    [MemberData(nameof(ForeignFieldsInReplacements))]
    public async Task A_customer_put_outside_the_contract_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var created = await CreateCustomerAsync(A, new { name = "Strict", source = "referral" });
        var id = created.GetProperty("id").GetString();

        using var response = await A.PutAsync($"/api/customers/{id}", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        var current = await Json(await A.GetAsync($"/api/customers/{id}"));
        Assert.Equal("Strict", current.GetProperty("name").GetString());
        Assert.Equal("referral", current.GetProperty("source").GetString());
        Assert.Equal(created.GetProperty("version").GetInt32(), current.GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("""{"firstName":"Re","lastName":"Named"}""", "type")]
    [InlineData("""{"firstName":"Re","lastName":"Named","type":"partner","id":"0198a000-0000-7000-8000-000000000000"}""", "id")]
    [InlineData("""{"firstName":"Re","lastName":"Named","type":"Partner\t"}""", "type")]
    public async Task A_contact_put_outside_the_contract_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var created = await CreateContactAsync(A, new { firstName = "Strict", lastName = "Contact", type = "client" });
        var id = created.GetProperty("id").GetString();

        using var response = await A.PutAsync($"/api/contacts/{id}", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        var current = await Json(await A.GetAsync($"/api/contacts/{id}"));
        Assert.Equal("client", current.GetProperty("type").GetString());
        Assert.Equal(created.GetProperty("version").GetInt32(), current.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_complete_put_and_enum_names_in_any_case_are_taken()
    {
        var id = (await CreateCustomerAsync(A, new { name = "Strict", source = "REFERRAL" })).GetProperty("id").GetString();

        using var response = await A.PutAsync($"/api/customers/{id}", RawJson("""{"name":"Renamed","source":"Web","companySize":"small"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await Json(response);
        Assert.Equal("web", updated.GetProperty("source").GetString());
        Assert.Equal("small", updated.GetProperty("companySize").GetString());
    }

    [Fact]
    public async Task An_assignment_must_name_its_assignee_and_null_unassigns()
    {
        var (me, client) = await UserAsync(TenantA, "assigner@a.example");
        using (client)
        {
            var id = (await CreateCustomerAsync(client, new { name = "Assigned" })).GetProperty("id").GetString();
            using (var assign = await client.PutAsync($"/api/customers/{id}/assignee", RawJson($$"""{"assigneeId":"{{me.Id}}"}""")))
                Assert.Equal(HttpStatusCode.OK, assign.StatusCode);

            using (var empty = await client.PutAsync($"/api/customers/{id}/assignee", RawJson("{}")))
                await AssertProblemAsync(empty, HttpStatusCode.BadRequest, field: "assigneeId");
            Assert.Equal(me.Id, (await Json(await client.GetAsync($"/api/customers/{id}"))).GetProperty("assigneeId").GetGuid());

            using (var unassign = await client.PutAsync($"/api/customers/{id}/assignee", RawJson("""{"assigneeId":null}""")))
                Assert.Equal(HttpStatusCode.OK, unassign.StatusCode);
            Assert.Equal(JsonValueKind.Null, (await Json(await client.GetAsync($"/api/customers/{id}"))).GetProperty("assigneeId").ValueKind);
        }
    }

    [Theory]
    [InlineData("""{"status":" inactive"}""")]
    [InlineData("""{"status":"inactive "}""")]
    [InlineData("""{"status":"1"}""")]
    [InlineData("""{"status":""}""")]
    [InlineData("""{"status":null}""")]
    public async Task A_status_value_that_is_not_a_published_name_is_a_400(string body)
    {
        var id = (await CreateCustomerAsync(A, new { name = "Status" })).GetProperty("id").GetString();

        using var response = await A.PostAsync($"/api/customers/{id}/status", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: "status");
        Assert.Equal("active", (await Json(await A.GetAsync($"/api/customers/{id}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_document_publishes_enum_names_and_no_route_or_header_fields_in_bodies()
    {
        var document = await Json(await A.GetAsync("/openapi/v1.json"));
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var update = schemas.GetProperty("UpdateCustomer");
        var properties = update.GetProperty("properties");
        Assert.False(properties.TryGetProperty("id", out _));
        Assert.False(properties.TryGetProperty("expectedVersion", out _));
        Assert.Contains("source", update.GetProperty("required").EnumerateArray().Select(r => r.GetString()));

        var source = Resolve(schemas, properties.GetProperty("source"));
        Assert.Equal(["direct", "referral", "web", "campaign", "other"], source.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    private static JsonElement Resolve(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? schemas.GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
