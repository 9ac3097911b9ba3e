using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using AccountEndpoints = CrmTenancy.WebApi.Endpoints.Account;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Users;

/// <summary>A left-out enum is refused, never defaulted to its first value (TenantAdmin, Shared).</summary>
public sealed class LeftOutEnumTests(ApiFactory factory) : ApiTest(factory)
{
    // ---- a left-out enum must not default to its first value: TenantAdmin, Shared ----------------------------------

    [Fact]
    public async Task An_invitation_or_role_change_without_a_role_and_a_visibility_change_without_a_value_are_refused()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        using (admin)
        {
            using (var invite = await admin.PostAsync("/api/team/invitations", RawJson("""{"email":"left-out-role@a.example"}""")))
                await AssertProblemAsync(invite, HttpStatusCode.BadRequest, field: "role");
            Assert.Equal(0, (await Json(await admin.GetAsync("/api/team/invitations"))).GetArrayLength());
            Assert.Null(Factory.LatestMailTo("left-out-role@a.example"));

            using (var change = await admin.PutAsync($"/api/team/users/{member.Id}/role", RawJson("{}")))
                await AssertProblemAsync(change, HttpStatusCode.BadRequest, field: "role");
            using (var nullRole = await admin.PutAsync($"/api/team/users/{member.Id}/role", RawJson("""{"role":null}""")))
                await AssertProblemAsync(nullRole, HttpStatusCode.BadRequest, field: "role");
            Assert.Equal("member", (await Json(await admin.GetAsync($"/api/team/users/{member.Id}"))).GetProperty("role").GetString());

            using (var ownerOnly = await admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
                Assert.Equal(HttpStatusCode.OK, ownerOnly.StatusCode);
            using (var empty = await admin.PutAsync("/api/tenant/settings/record-visibility", RawJson("{}")))
                await AssertProblemAsync(empty, HttpStatusCode.BadRequest, field: "recordVisibility");
            Assert.Equal("ownerOnly", (await Json(await admin.GetAsync("/api/tenant/settings"))).GetProperty("recordVisibility").GetString());

            // Control: the role given is the role invited.
            using var right = await admin.PostAsJsonAsync("/api/team/invitations", new { email = "left-out-role@a.example", role = "member" });
            Assert.Equal("member", (await Json(right)).GetProperty("role").GetString());
        }
    }
}
