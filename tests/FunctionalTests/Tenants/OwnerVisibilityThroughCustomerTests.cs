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

namespace CrmTenancy.FunctionalTests.Tenants;

/// <summary>Owner-only record visibility holds through a visible customer: its hidden contacts are neither counted nor found.</summary>
public sealed class OwnerVisibilityThroughCustomerTests(ApiFactory factory) : ApiTest(factory)
{
    // ---- owner-only record visibility through a visible customer --------------------------------------------------

    [Fact]
    public async Task A_member_assigned_a_customer_neither_counts_nor_finds_its_contacts_they_cannot_see()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, m1) = await UserAsync(TenantA, "m1@a.example");
        var (m2User, m2) = await UserAsync(TenantA, "m2@a.example");
        using (admin)
        using (m1)
        using (m2)
        {
            var customerId = (await CreateCustomerAsync(m1, new { name = "Plain Name Ltd" })).GetProperty("id").GetString()!;
            await CreateContactAsync(m1, new { firstName = "Secretive", lastName = "Quokka", email = "quokka@hidden.example", customerId });
            using (var assign = await admin.PutAsJsonAsync($"/api/customers/{customerId}/assignee", new { assigneeId = m2User.Id }))
                Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
            using (var visibility = await admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
                Assert.Equal(HttpStatusCode.OK, visibility.StatusCode);

            // Control: the owner of the contact counts it and finds the customer by the contact's name.
            Assert.Equal(1, (await Json(await m1.GetAsync($"/api/customers/{customerId}"))).GetProperty("contactCount").GetInt32());
            Assert.Equal([customerId], Ids(await Json(await m1.GetAsync("/api/customers?search=quokka"))));

            // M2 sees the customer, not the contact: neither the count nor a search by the contact's name or email tells.
            Assert.Empty(Ids(await Json(await m2.GetAsync("/api/contacts?search=quokka"))));
            Assert.Equal(0, (await Json(await m2.GetAsync($"/api/customers/{customerId}"))).GetProperty("contactCount").GetInt32());
            var list = await Json(await m2.GetAsync("/api/customers"));
            Assert.Equal(0, list.GetProperty("items").EnumerateArray().Single().GetProperty("contactCount").GetInt32());
            Assert.Empty(Ids(await Json(await m2.GetAsync("/api/customers?search=quokka"))));
            Assert.Empty(Ids(await Json(await m2.GetAsync("/api/customers?search=hidden.example"))));
            Assert.Equal([customerId], Ids(await Json(await m2.GetAsync("/api/customers?search=plain"))));
        }
    }
}
