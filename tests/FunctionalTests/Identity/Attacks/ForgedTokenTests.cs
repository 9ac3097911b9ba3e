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

/// <summary>Edited and unsigned user tokens.</summary>
public sealed class ForgedTokenTests(ApiFactory factory) : AuthorizationServerAttackTest(factory)
{
    // ---- 10. edited and unsigned user tokens --------------------------------------------------------------------

    [Fact]
    public async Task A_user_token_with_its_tenant_id_edited_is_refused()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var token = (await signIn.TokensAsync(member)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, token));

        var parts = ForgedTokens.Decode(token);
        Assert.Equal(TenantA.Id.ToString(), parts.Payload["tenant_id"]!.GetValue<string>());
        parts.Payload["tenant_id"] = TenantB.Id.ToString();

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, ForgedTokens.WithSignature(parts, parts.Signature)));
    }

    [Fact]
    public async Task A_user_token_with_its_role_or_scope_raised_is_refused()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var token = (await signIn.TokensAsync(member)).AccessToken;
        var parts = ForgedTokens.Decode(token);
        parts.Payload["role"] = nameof(UserRole.TenantAdmin);
        parts.Payload["scope"] = "openid crm.read crm.write crm.admin";

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, ForgedTokens.WithSignature(parts, parts.Signature), "/api/team/users"));
    }

    [Theory]
    [InlineData("none", "")]
    [InlineData("none", "original")]
    [InlineData("HS256", "hs256")]
    [InlineData("ES384", "original")]
    public async Task A_user_token_re_headed_with_another_algorithm_is_refused(string algorithm, string signature)
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var parts = ForgedTokens.Decode((await signIn.TokensAsync(member)).AccessToken);
        parts.Payload["tenant_id"] = TenantB.Id.ToString();
        parts.Header["alg"] = algorithm;

        var forged = signature switch
        {
            "" => ForgedTokens.WithSignature(parts, ""),
            "original" => ForgedTokens.WithSignature(parts, parts.Signature),
            _ => ForgedTokens.SignHs256(parts, Encoding.UTF8.GetBytes("secret")),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, forged));
    }

    [Fact]
    public async Task An_id_token_is_not_accepted_as_an_access_token()
    {
        var member = await MemberAsync();
        using var signIn = new SignIn(Factory);
        var tokens = await signIn.TokensAsync(member);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.IdToken!));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.RefreshToken!));
    }
}
