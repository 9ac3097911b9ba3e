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

/// <summary>Password guessing against the login page.</summary>
public sealed class PasswordGuessingTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
    // ---- 7. password guessing -----------------------------------------------------------------------------------

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_every_failure_reads_the_same()
    {
        var member = await MemberAsync();
        var bystander = await MemberAsync("bystander@a.example");

        async Task<(HttpStatusCode Status, string? Error, Uri? Location)> LoginAsync(string organisation, string email, string password)
        {
            using var signIn = new SignIn(Factory);
            using var response = await signIn.PostLoginAsync(signIn.AuthorizeUrl(), organisation, email, password);
            return (response.StatusCode, ErrorText(await response.Content.ReadAsStringAsync()), response.Headers.Location);
        }

        // Control: the right password works before the guessing (and resets any count).
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(member.Organisation, member.Email, member.Password)).Status);

        var wrong = await LoginAsync(member.Organisation, member.Email, "not the password");
        Assert.Equal((HttpStatusCode.BadRequest, AccountEndpoints.SignInFailed, (Uri?)null), wrong);
        for (var i = 2; i <= 5; i++)
            Assert.Equal(wrong, await LoginAsync(member.Organisation, member.Email, $"guess number {i}"));

        var locked = await LoginAsync(member.Organisation, member.Email, member.Password);
        var unknownEmail = await LoginAsync(member.Organisation, "nobody@a.example", member.Password);
        var unknownOrganisation = await LoginAsync("no-such-org", member.Email, member.Password);
        var otherTenant = await LoginAsync(TenantB.Slug, member.Email, member.Password);

        Assert.Equal(wrong, locked);
        Assert.Equal(wrong, unknownEmail);
        Assert.Equal(wrong, unknownOrganisation);
        Assert.Equal(wrong, otherTenant);

        // The lock is the member's alone.
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(bystander.Organisation, bystander.Email, bystander.Password)).Status);
    }
}
