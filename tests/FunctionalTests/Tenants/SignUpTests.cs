using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.FunctionalTests.Tenants;

/// <summary>Self-service sign-up: a new tenant and its first administrator, anonymous, in one transaction.</summary>
public sealed class SignUpTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Password = "a long enough passphrase";

    private static object Body(string slug = "acme", string email = "founder@acme.example", string password = Password,
        string organisationName = "Acme Ltd", string displayName = "Founder") =>
        new { organisationName, slug, email, displayName, password };

    [Fact]
    public async Task Sign_up_creates_the_tenant_and_its_admin_who_signs_in_and_administers_it()
    {
        using var anonymous = Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/signup", Body(slug: "  Acme-Corp ", email: "founder@acme.example"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/me", response.Headers.Location!.OriginalString);
        var signedUp = await Json(response);
        Assert.Equal("acme-corp", signedUp.GetProperty("slug").GetString());
        Assert.Equal("founder@acme.example", signedUp.GetProperty("email").GetString());
        var tenantId = signedUp.GetProperty("tenantId").GetGuid();
        var userId = signedUp.GetProperty("userId").GetGuid();

        // The new admin signs in through the login page with the organisation's slug.
        var admin = new TestUser(userId, tenantId, "acme-corp", "founder@acme.example", Password, UserRole.TenantAdmin);
        using var api = await Factory.ClientForAsync(admin);
        var me = await Json(await api.GetAsync("/api/me"));
        Assert.Equal("user", me.GetProperty("kind").GetString());
        Assert.Equal(userId, me.GetProperty("userId").GetGuid());
        Assert.Equal("Founder", me.GetProperty("displayName").GetString());
        Assert.Equal(tenantId, me.GetProperty("tenant").GetProperty("id").GetGuid());
        Assert.Equal("acme-corp", me.GetProperty("tenant").GetProperty("slug").GetString());
        Assert.Equal("Acme Ltd", me.GetProperty("tenant").GetProperty("name").GetString());
        Assert.Equal(["TenantAdmin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("crm.admin", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // Its team is itself alone; the tenant starts empty, and it sees nothing of tenant A.
        var team = await Json(await api.GetAsync("/api/team/users"));
        Assert.Equal([userId.ToString()], Ids(team));
        Assert.Equal(0, (await Json(await api.GetAsync("/api/customers"))).GetProperty("totalCount").GetInt32());
        await CreateCustomerAsync(A, new { name = "Only in A" });
        Assert.Equal(0, (await Json(await api.GetAsync("/api/customers"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task An_email_used_in_another_tenant_can_sign_up_and_each_sign_in_finds_its_own_tenant()
    {
        var userOfA = await Factory.AddUserAsync(TenantA, "same@person.example", UserRole.Member);
        using var anonymous = Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/signup", Body(slug: "second-job", email: "same@person.example"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var signedUp = await Json(response);

        using var asNew = await Factory.ClientForAsync(new TestUser(signedUp.GetProperty("userId").GetGuid(), signedUp.GetProperty("tenantId").GetGuid(),
            "second-job", "same@person.example", Password, UserRole.TenantAdmin));
        Assert.Equal("second-job", (await Json(await asNew.GetAsync("/api/me"))).GetProperty("tenant").GetProperty("slug").GetString());
        using var asA = await Factory.ClientForAsync(userOfA);
        var me = await Json(await asA.GetAsync("/api/me"));
        Assert.Equal("tenant-a", me.GetProperty("tenant").GetProperty("slug").GetString());
        Assert.Equal(["Member"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("tenant-a")]
    [InlineData("TENANT-A")]
    [InlineData(" tenant-a ")]
    public async Task A_taken_slug_gets_409_slug_taken_and_creates_nothing(string slug)
    {
        await Factory.AddUserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (tenantsBefore, usersOfABefore) = await CountsAsync();

        using var anonymous = Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/signup", Body(slug: slug, email: "intruder@evil.example"));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "slug-taken");
        Assert.Equal((tenantsBefore, usersOfABefore), await CountsAsync());
        await using var db = Factory.Database.Owner();
        Assert.Equal(1, await db.Tenants.IgnoreQueryFilters().CountAsync(t => t.Slug == "tenant-a"));
        Assert.False(await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == "INTRUDER@EVIL.EXAMPLE"));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        // body, the field the problem names
        { """{"organisationName":"Acme","slug":"acme","email":"a@acme.example","displayName":"A","password":"short"}""", "password" },
        { """{"organisationName":"Acme","slug":"acme","email":"a@acme.example","displayName":"A","password":"aaaaaaaaaaaa"}""", "password" },
        { """{"organisationName":"Acme","slug":"not a slug!","email":"a@acme.example","displayName":"A","password":"a long enough passphrase"}""", "slug" },
        { """{"organisationName":"Acme","slug":"-acme","email":"a@acme.example","displayName":"A","password":"a long enough passphrase"}""", "slug" },
        { """{"organisationName":"Acme","slug":"acme-","email":"a@acme.example","displayName":"A","password":"a long enough passphrase"}""", "slug" },
        { """{"organisationName":"Acme","slug":"","email":"a@acme.example","displayName":"A","password":"a long enough passphrase"}""", "slug" },
        { $$"""{"organisationName":"Acme","slug":"{{new string('a', 64)}}","email":"a@acme.example","displayName":"A","password":"a long enough passphrase"}""", "slug" },
        { $$"""{"organisationName":"{{new string('o', 201)}}","slug":"acme","email":"a@acme.example","displayName":"A","password":"a long enough passphrase"}""", "organisationName" },
        { """{"organisationName":"Acme","slug":"acme","email":"not-an-email","displayName":"A","password":"a long enough passphrase"}""", "email" },
        { """{"organisationName":"Acme","slug":"acme","email":"a@acme.example","displayName":"","password":"a long enough passphrase"}""", "displayName" },
        { $$"""{"organisationName":"Acme","slug":"acme","email":"a@acme.example","displayName":"A","password":"{{new string('p', 257)}}"}""", "password" },
        { """{"organisationName":"Acme","slug":"acme","email":"a@acme.example","displayName":"A"}""", "password" },
        { """{"slug":"acme","email":"a@acme.example","displayName":"A","password":"a long enough passphrase"}""", "organisationName" },
        { """{"organisationName":"Acme","slug":"acme","email":"a@acme.example","displayName":"A","password":"a long enough passphrase","role":"platform"}""", "role" },
        { """{"organisationName":"Acme","slug":42,"email":"a@acme.example","displayName":"A","password":"a long enough passphrase"}""", "slug" },
        { """{"organisationName":"Acme","slug":"acme","email":"a@acme.example",""", "body" },
        { """not json at all""", "body" },
        { """[]""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_sign_up_bodies_get_400_naming_the_field_and_create_nothing(string body, string field)
    {
        var before = await CountsAsync();
        using var anonymous = Anonymous();
        using var response = await anonymous.PostAsync("/api/signup", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        Assert.Equal(before, await CountsAsync());
        await using var db = Factory.Database.Owner();
        Assert.False(await db.Tenants.IgnoreQueryFilters().AnyAsync(t => t.Slug == "acme"));
    }

    [Fact]
    public async Task Sign_up_with_a_tenants_token_gets_400_and_creates_no_tenant()
    {
        var before = await CountsAsync();
        var (_, asUser) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var userClient = asUser;

        foreach (var caller in new[] { A, asUser })
        {
            using var response = await caller.PostAsJsonAsync("/api/signup", Body(slug: "sneaky"));
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation", "authorization");
        }
        await using var db = Factory.Database.Owner();
        Assert.False(await db.Tenants.IgnoreQueryFilters().AnyAsync(t => t.Slug == "sneaky"));
        Assert.Equal(before.Tenants, await db.Tenants.IgnoreQueryFilters().CountAsync());
    }

    private async Task<(int Tenants, int UsersOfA)> CountsAsync()
    {
        await using var db = Factory.Database.Owner();
        return (await db.Tenants.IgnoreQueryFilters().CountAsync(),
            await db.Users.IgnoreQueryFilters().CountAsync(u => u.TenantId == TenantA.Id));
    }
}
