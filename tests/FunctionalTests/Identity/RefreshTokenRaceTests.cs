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

/// <summary>Refresh token reuse detection does not lose a race: parallel refreshes and code redemptions leave no usable token of the family.</summary>
public sealed class RefreshTokenRaceTests(ApiFactory factory) : ApiTest(factory)
{
    // ---- refresh token reuse detection must not lose a race -------------------------------------------------------

    [Fact]
    public async Task After_parallel_refreshes_of_one_token_no_token_of_the_family_stays_usable()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        // The race is between the loser's revocation of the family and the winner's insert of its new token: a few rounds.
        for (var round = 0; round < 4; round++)
        {
            using var signIn = new SignIn(Factory);
            var tokens = await signIn.TokensAsync(member);

            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(Factory, tokens.RefreshToken!)));
            var issued = new List<string>();
            foreach (var response in responses)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                    issued.Add((await JsonOf(response)).GetProperty("refresh_token").GetString()!);
                response.Dispose();
            }
            Assert.True(issued.Count <= 1, $"{issued.Count} parallel refreshes succeeded");

            // The reuse revoked the whole family, the token the winner got included.
            foreach (var token in issued)
            {
                using var again = await RefreshAsync(Factory, token);
                await AssertOAuthErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
            }
        }
    }

    [Fact]
    public async Task A_replay_racing_the_next_rotation_still_revokes_the_token_that_rotation_issued()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        for (var round = 0; round < 4; round++)
        {
            using var signIn = new SignIn(Factory);
            var first = (await signIn.TokensAsync(member)).RefreshToken!;
            string second;
            using (var rotated = await RefreshAsync(Factory, first))
                second = (await AssertTokensAsync(rotated)).GetProperty("refresh_token").GetString()!;

            // The legitimate client rotates the current token while a thief replays the spent one.
            var legitimate = RefreshAsync(Factory, second);
            var replays = Enumerable.Range(0, 3).Select(_ => RefreshAsync(Factory, first)).ToList();
            foreach (var replay in await Task.WhenAll(replays))
            {
                await AssertOAuthErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");
                replay.Dispose();
            }
            using var answer = await legitimate;
            if (answer.StatusCode != HttpStatusCode.OK)
                continue;
            using var again = await RefreshAsync(Factory, (await JsonOf(answer)).GetProperty("refresh_token").GetString()!);
            await AssertOAuthErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    [Fact]
    public async Task After_parallel_redemptions_of_one_code_no_refresh_token_stays_usable()
    {
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        for (var round = 0; round < 4; round++)
        {
            using var signIn = new SignIn(Factory);
            var code = SignIn.CodeOf(await signIn.AuthorizeAsync(member.Organisation, member.Email, member.Password))!;

            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => signIn.RedeemAsync(code)));
            var issued = new List<string>();
            foreach (var response in responses)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                    issued.Add((await JsonOf(response)).GetProperty("refresh_token").GetString()!);
                response.Dispose();
            }
            Assert.True(issued.Count <= 1, $"{issued.Count} parallel redemptions succeeded");
            foreach (var token in issued)
            {
                using var again = await RefreshAsync(Factory, token);
                await AssertOAuthErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
            }
        }
    }
}
