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

/// <summary>Sign-in: the password is what was chosen, spaces included.</summary>
public sealed class PasswordSpacesTests(ApiFactory factory) : ApiTest(factory)
{
    // ---- sign-in: the password is what was chosen, spaces included ------------------------------------------------

    [Fact]
    public async Task A_password_with_surrounding_spaces_chosen_at_sign_up_signs_in_as_it_was_chosen()
    {
        const string password = " spaced out passphrase ";
        using var anonymous = Anonymous();
        using (var signUp = await anonymous.PostAsJsonAsync("/api/signup",
                   new { organisationName = "Spaces", slug = "spaces", email = "founder@spaces.example", displayName = "Founder", password }))
            Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);

        using var signIn = new SignIn(Factory);
        using (var trimmed = await signIn.PostLoginAsync(signIn.AuthorizeUrl(), "spaces", "founder@spaces.example", password.Trim()))
            Assert.Equal(HttpStatusCode.BadRequest, trimmed.StatusCode);
        using var exact = await signIn.PostLoginAsync(signIn.AuthorizeUrl(), "spaces", "founder@spaces.example", password);
        Assert.Equal(HttpStatusCode.Redirect, exact.StatusCode);
    }
}
