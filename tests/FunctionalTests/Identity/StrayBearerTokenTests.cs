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

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>A stray bearer token at the authorization server's own endpoints changes nothing.</summary>
public sealed class StrayBearerTokenTests(ApiFactory factory) : ApiTest(factory)
{
    // ---- a stray bearer token at the authorization server's own endpoints -----------------------------------------

    [Fact]
    public async Task A_bearer_token_of_one_tenant_sent_along_to_the_token_endpoints_does_not_break_another_tenants_request()
    {
        var memberA = await Factory.AddUserAsync(TenantA, "member@a.example");
        var memberB = await Factory.AddUserAsync(TenantB, "member@b.example");
        using var signInB = new SignIn(Factory);
        var tokensB = await signInB.TokensAsync(memberB);
        using var signInA = new SignIn(Factory);
        var tokensA = await signInA.TokensAsync(memberA);
        var bearerA = new AuthenticationHeaderValue("Bearer", tokensA.AccessToken);

        using (var refresh = await PostFormAsync(Factory, "/connect/token", new()
               {
                   ["grant_type"] = "refresh_token", ["client_id"] = TestTenants.WebClientId, ["refresh_token"] = tokensB.RefreshToken!,
               }, bearerA))
            await AssertTokensAsync(refresh);
        using (var revoke = await PostFormAsync(Factory, "/connect/revocation", new()
               {
                   ["client_id"] = TestTenants.WebClientId, ["token"] = tokensB.RefreshToken!,
               }, bearerA))
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        // The sign-in pages and the authorize endpoint too: B's member signs in from a browser that sends A's token.
        using var browser = new SignIn(Factory);
        browser.Browser.DefaultRequestHeaders.Authorization = bearerA;
        Assert.NotNull(SignIn.CodeOf(await browser.AuthorizeAsync(memberB.Organisation, memberB.Email, memberB.Password)));
    }
}
