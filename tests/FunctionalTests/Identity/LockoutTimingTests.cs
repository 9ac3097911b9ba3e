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

/// <summary>Sign-in: a locked account costs what an unknown one does, so timing does not tell them apart.</summary>
public sealed class LockoutTimingTests(ApiFactory factory) : ApiTest(factory)
{
    // ---- sign-in: a locked account costs what an unknown one does ---------------------------------------------------

    /// <summary>Counts password verifications, to compare the work of each sign-in path without timing it.</summary>
    private sealed class CountingHasher : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task A_sign_in_to_a_locked_account_verifies_a_password_like_one_to_an_unknown_email()
    {
        var hasher = new CountingHasher();
        await using var host = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IPasswordHasher<User>>(hasher)));
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");

        async Task<int> VerificationsOfAsync(string email, string password)
        {
            using var signIn = new SignIn(host);
            var before = hasher.Verifications;
            using var response = await signIn.PostLoginAsync(signIn.AuthorizeUrl(), member.Organisation, email, password);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(AccountEndpoints.SignInFailed, ErrorText(await response.Content.ReadAsStringAsync()));
            return hasher.Verifications - before;
        }

        var unknown = await VerificationsOfAsync("nobody@a.example", "whatever it is");
        Assert.Equal(1, unknown);
        for (var i = 1; i <= 5; i++)
            Assert.Equal(unknown, await VerificationsOfAsync(member.Email, $"wrong guess {i}"));
        // Locked now: the answer reads the same, and it must cost the same, or its speed says the email exists.
        Assert.Equal(unknown, await VerificationsOfAsync(member.Email, "yet another guess"));
        Assert.Equal(unknown, await VerificationsOfAsync(member.Email, member.Password));
    }
}
