using System.Net;
using System.Net.Http.Json;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;
using AccountEndpoints = CrmTenancy.WebApi.Endpoints.Account;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Identity.Attacks;

/// <summary>
/// The authorization server against the attacks it must stop, each over real HTTP. Each attack test has a control
/// next to it (the same step done right succeeds), so a refusal is the server's doing and not a broken test. The
/// attacks are grouped by what they target, one class each in this folder; this base holds their shared steps.
/// </summary>
public abstract class AuthorizationServerAttackTest(ApiFactory factory) : ApiTest(factory)
{
    protected const string OtherRedirectUri = "https://app.test/other";

    protected static async Task<string> CodeAsync(SignIn signIn, TestUser user, string? authorizeUrl = null)
    {
        var redirect = await signIn.AuthorizeAsync(user.Organisation, user.Email, user.Password, authorizeUrl ?? signIn.AuthorizeUrl());
        return SignIn.CodeOf(redirect) ?? throw new InvalidOperationException($"No code in {redirect}");
    }

    protected async Task<TestUser> MemberAsync(string email = "member@a.example") => await Factory.AddUserAsync(TenantA, email, UserRole.Member);

    protected async Task<TestUser> AdminAsync(string email = "admin@a.example") => await Factory.AddUserAsync(TenantA, email, UserRole.TenantAdmin);
}
