using System.Net;
using System.Text.Json;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using static CrmTenancy.FunctionalTests.Infrastructure.OAuthProtocol;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>
/// The authorization server as a standard OpenID Connect provider: discovery, the ID token and its signature,
/// userinfo, introspection (RFC 7662), revocation (RFC 7009), no-store token responses, and signing key rotation.
/// </summary>
public sealed class AuthorizationServerProtocolTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    private static string[] Strings(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    private async Task<(TestUser User, SignIn SignIn, TokenSet Tokens)> SignedInAsync(string scope = SignIn.DefaultScope, UserRole role = UserRole.Member)
    {
        var user = await Factory.AddUserAsync(TenantA, "ann.member@a.example", role);
        var signIn = new SignIn(Factory);
        return (user, signIn, await signIn.TokensAsync(user, scope));
    }

    // ---- 13. discovery -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Discovery_names_this_issuer_its_endpoints_s256_and_es256()
    {
        var discovery = await GetJsonAsync("/.well-known/openid-configuration");

        Assert.Equal(ApiFactory.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal("http://crm.test/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("http://crm.test/connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal("http://crm.test/connect/userinfo", discovery.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal("http://crm.test/.well-known/jwks.json", discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal("http://crm.test/connect/revocation", discovery.GetProperty("revocation_endpoint").GetString());
        Assert.Equal("http://crm.test/connect/introspect", discovery.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(["S256"], Strings(discovery, "code_challenge_methods_supported"));
        Assert.Equal(["ES256"], Strings(discovery, "id_token_signing_alg_values_supported"));
        Assert.Equal(["code"], Strings(discovery, "response_types_supported"));
        Assert.Equal(["authorization_code", "refresh_token", "client_credentials"], Strings(discovery, "grant_types_supported"));
        Assert.Contains("openid", Strings(discovery, "scopes_supported"));
        Assert.True(discovery.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.DoesNotContain("none", Strings(discovery, "introspection_endpoint_auth_methods_supported"));
    }

    [Fact]
    public async Task Every_advertised_endpoint_answers_at_its_path()
    {
        var discovery = await GetJsonAsync("/.well-known/openid-configuration");
        string PathOf(string name)
        {
            var url = new Uri(discovery.GetProperty(name).GetString()!);
            Assert.Equal(ApiFactory.Issuer, url.GetLeftPart(UriPartial.Authority));
            return url.PathAndQuery;
        }
        using var client = Factory.CreateClient(new() { AllowAutoRedirect = false });
        var empty = new Dictionary<string, string>();

        // Each one answers as that endpoint does to an empty request: none is a 404 or a 405.
        using (var authorize = await client.GetAsync(PathOf("authorization_endpoint")))
            Assert.Equal(HttpStatusCode.BadRequest, authorize.StatusCode);
        using (var token = await client.PostAsync(PathOf("token_endpoint"), new FormUrlEncodedContent(empty)))
            await AssertOAuthErrorAsync(token, HttpStatusCode.BadRequest, "invalid_request");
        using (var userinfo = await client.GetAsync(PathOf("userinfo_endpoint")))
            Assert.Equal(HttpStatusCode.Unauthorized, userinfo.StatusCode);
        using (var jwks = await client.GetAsync(PathOf("jwks_uri")))
        {
            Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
            Assert.NotEmpty((await Json(jwks)).GetProperty("keys").EnumerateArray());
        }
        using (var revocation = await client.PostAsync(PathOf("revocation_endpoint"), new FormUrlEncodedContent(empty)))
            await AssertOAuthErrorAsync(revocation, HttpStatusCode.Unauthorized, "invalid_client");
        using (var introspection = await client.PostAsync(PathOf("introspection_endpoint"), new FormUrlEncodedContent(empty)))
            await AssertOAuthErrorAsync(introspection, HttpStatusCode.Unauthorized, "invalid_client");
    }

    // ---- 14. the ID token ----------------------------------------------------------------------------------------

    [Fact]
    public async Task The_id_token_is_es256_signed_by_a_published_key_and_names_the_user_the_client_and_the_nonce()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2).ToUnixTimeSeconds();
        var (user, signIn, tokens) = await SignedInAsync();
        using var signInScope = signIn;
        var idToken = tokens.IdToken!;
        var parts = ForgedTokens.Decode(idToken);

        Assert.Equal("ES256", parts.Header["alg"]!.GetValue<string>());
        Assert.Equal("JWT", parts.Header["typ"]!.GetValue<string>());
        var kid = parts.Header["kid"]!.GetValue<string>();
        var jwk = (await GetJsonAsync("/.well-known/jwks.json")).GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("kid").GetString() == kid);

        var payload = parts.Payload;
        Assert.Equal(ApiFactory.Issuer, payload["iss"]!.GetValue<string>());
        Assert.Equal(TestTenants.WebClientId, payload["aud"]!.GetValue<string>());
        Assert.Equal(TestTenants.WebClientId, payload["azp"]!.GetValue<string>());
        Assert.Equal(user.Id.ToString(), payload["sub"]!.GetValue<string>());
        Assert.Equal(signIn.Nonce, payload["nonce"]!.GetValue<string>());
        Assert.Equal(TenantA.Id.ToString(), payload["tenant_id"]!.GetValue<string>());
        Assert.Equal(user.Email, payload["email"]!.GetValue<string>());
        Assert.Equal("ann.member", payload["name"]!.GetValue<string>());
        var authTime = payload["auth_time"]!.GetValue<long>();
        Assert.InRange(authTime, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.True(payload["exp"]!.GetValue<long>() > payload["iat"]!.GetValue<long>());

        // The signature, checked with nothing but the published x and y.
        using var publicKey = ForgedTokens.PublicKeyFromJwk(jwk);
        Assert.True(ForgedTokens.VerifyEs256(idToken, publicKey), "The JWKS key does not verify the ID token.");
        var segments = idToken.Split('.');
        Assert.False(ForgedTokens.VerifyEs256($"{segments[0]}.{segments[1]}.{ForgedTokens.FlipSignatureByte(segments[2])}", publicKey));
        parts.Payload["sub"] = Guid.NewGuid().ToString();
        Assert.False(ForgedTokens.VerifyEs256(ForgedTokens.WithSignature(parts, parts.Signature), publicKey));
    }

    [Fact]
    public async Task Without_openid_there_is_no_id_token_and_without_a_nonce_the_id_token_has_none()
    {
        var user = await Factory.AddUserAsync(TenantA, "ann.member@a.example", UserRole.Member);
        using (var plain = new SignIn(Factory))
            Assert.Null((await plain.TokensAsync(user, "offline_access crm.read")).IdToken);

        using var signIn = new SignIn(Factory);
        var redirect = await signIn.AuthorizeAsync(user.Organisation, user.Email, user.Password,
            signIn.AuthorizeUrl("openid crm.read", overrides: new Dictionary<string, string?> { ["nonce"] = null }));
        using var response = await signIn.RedeemAsync(SignIn.CodeOf(redirect)!);
        var idToken = (await AssertTokensAsync(response)).GetProperty("id_token").GetString()!;
        var payload = ForgedTokens.Decode(idToken).Payload;
        Assert.False(payload.ContainsKey("nonce"));
        Assert.False(payload.ContainsKey("email"));
        Assert.Equal(user.Id.ToString(), payload["sub"]!.GetValue<string>());
    }

    // ---- 15. userinfo --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Userinfo_returns_the_claims_of_the_granted_identity_scopes()
    {
        var (user, signIn, tokens) = await SignedInAsync();
        using var signInScope = signIn;
        using var api = Bearer(Factory, tokens.AccessToken);

        using var response = await api.GetAsync("/connect/userinfo");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var claims = await Json(response);
        Assert.Equal(user.Id.ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal(user.Email, claims.GetProperty("email").GetString());
        Assert.True(claims.GetProperty("email_verified").GetBoolean());
        Assert.Equal("ann.member", claims.GetProperty("name").GetString());
        Assert.Equal(TenantA.Id.ToString(), claims.GetProperty("tenant_id").GetString());

        using var post = await api.PostAsync("/connect/userinfo", null);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(user.Id.ToString(), (await Json(post)).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Userinfo_with_openid_alone_returns_the_subject_without_profile_or_email()
    {
        var (user, signIn, tokens) = await SignedInAsync("openid crm.read");
        using var signInScope = signIn;
        using var api = Bearer(Factory, tokens.AccessToken);

        var claims = await Json(await api.GetAsync("/connect/userinfo"));

        Assert.Equal(user.Id.ToString(), claims.GetProperty("sub").GetString());
        Assert.False(claims.TryGetProperty("email", out _));
        Assert.False(claims.TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Userinfo_refuses_a_client_credentials_token_and_a_user_token_without_openid()
    {
        using (var response = await A.GetAsync("/connect/userinfo"))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var (_, signIn, tokens) = await SignedInAsync("crm.read");
        using var __ = signIn;
        Assert.Equal(HttpStatusCode.Forbidden, await StatusWithTokenAsync(Factory, tokens.AccessToken, "/connect/userinfo"));
    }

    [Fact]
    public async Task Userinfo_refuses_a_platform_client_token_even_with_platform_admin()
    {
        var (clientId, secret) = await AddPlatformClientAsync(Factory);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusWithTokenAsync(Factory, await Factory.TokenAsync(clientId, secret), "/connect/userinfo"));
    }

    // ---- 16. introspection ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Introspection_by_a_client_of_the_tokens_tenant_describes_the_token()
    {
        var (user, signIn, tokens) = await SignedInAsync();
        using var signInScope = signIn;

        using var response = await IntrospectAsync(Factory, tokens.AccessToken, TenantA.ClientId, TenantA.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = await Json(response);
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(user.Id.ToString(), body.GetProperty("sub").GetString());
        Assert.Equal(TestTenants.WebClientId, body.GetProperty("client_id").GetString());
        Assert.Equal(TenantA.Id.ToString(), body.GetProperty("tenant_id").GetString());
        Assert.Equal(tokens.Scope, body.GetProperty("scope").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(ForgedTokens.Decode(tokens.AccessToken).Payload["exp"]!.GetValue<long>(), body.GetProperty("exp").GetInt64());

        // Over Basic authentication as well.
        using var basic = await PostFormAsync(Factory, "/connect/introspect", new() { ["token"] = tokens.AccessToken }, Basic(TenantA.ClientId, TenantA.ClientSecret));
        Assert.True((await Json(basic)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_of_a_refresh_token_is_active_until_it_is_used()
    {
        var (user, signIn, tokens) = await SignedInAsync();
        using var signInScope = signIn;

        using (var before = await IntrospectAsync(Factory, tokens.RefreshToken!, TenantA.ClientId, TenantA.ClientSecret))
        {
            var body = await Json(before);
            Assert.True(body.GetProperty("active").GetBoolean());
            Assert.Equal("refresh_token", body.GetProperty("token_type").GetString());
            Assert.Equal(user.Id.ToString(), body.GetProperty("sub").GetString());
        }
        using (var refresh = await RefreshAsync(Factory, tokens.RefreshToken!))
            await AssertTokensAsync(refresh);

        using var after = await IntrospectAsync(Factory, tokens.RefreshToken!, TenantA.ClientId, TenantA.ClientSecret);
        Assert.Equal("{\"active\":false}", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Introspection_by_another_tenants_client_says_only_inactive()
    {
        var (_, signIn, tokens) = await SignedInAsync();
        using var __ = signIn;

        foreach (var token in new[] { tokens.AccessToken, tokens.RefreshToken! })
        {
            using var response = await IntrospectAsync(Factory, token, TenantB.ClientId, TenantB.ClientSecret);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"active\":false}", await response.Content.ReadAsStringAsync());
        }

        // A's own client-credentials token is inactive for B too.
        var tokenA = await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret);
        using var clientToken = await IntrospectAsync(Factory, tokenA, TenantB.ClientId, TenantB.ClientSecret);
        Assert.Equal("{\"active\":false}", await clientToken.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Introspection_refuses_a_public_client_and_a_wrong_secret_with_invalid_client()
    {
        var (_, signIn, tokens) = await SignedInAsync();
        using var __ = signIn;

        using (var publicClient = await IntrospectAsync(Factory, tokens.AccessToken, TestTenants.WebClientId, null))
            await AssertOAuthErrorAsync(publicClient, HttpStatusCode.Unauthorized, "invalid_client");
        using (var wrong = await IntrospectAsync(Factory, tokens.AccessToken, TenantA.ClientId, TenantA.ClientSecret + "x"))
            await AssertOAuthErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    [InlineData("00000000000000000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Introspection_of_garbage_is_inactive(string token)
    {
        using var response = await IntrospectAsync(Factory, token, TenantA.ClientId, TenantA.ClientSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"active\":false}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Introspection_of_a_deactivated_users_token_is_inactive()
    {
        var admin = await Factory.AddUserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (user, signIn, tokens) = await SignedInAsync();
        using var signInScope = signIn;
        using var adminApi = await Factory.ClientForAsync(admin);
        using (var deactivate = await adminApi.PostAsync($"/api/team/users/{user.Id}/deactivate", null))
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);

        using var response = await IntrospectAsync(Factory, tokens.AccessToken, TenantA.ClientId, TenantA.ClientSecret);
        Assert.Equal("{\"active\":false}", await response.Content.ReadAsStringAsync());
    }

    // ---- 17. revocation ------------------------------------------------------------------------------------------

    [Fact]
    public async Task Revoking_a_refresh_token_ends_its_family()
    {
        var (_, signIn, tokens) = await SignedInAsync();
        using var __ = signIn;
        using (var rotated = await RefreshAsync(Factory, tokens.RefreshToken!))
        {
            var current = (await AssertTokensAsync(rotated)).GetProperty("refresh_token").GetString()!;

            using var revoke = await RevokeAsync(Factory, current, TestTenants.WebClientId, null);
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            Assert.True(revoke.Headers.CacheControl?.NoStore);

            using var refresh = await RefreshAsync(Factory, current);
            await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    [Fact]
    public async Task Revoking_an_unknown_token_answers_200()
    {
        foreach (var token in new[] { "not-a-token", $"{TenantA.Id:N}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
        {
            using var response = await RevokeAsync(Factory, token, TestTenants.WebClientId, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using var confidential = await RevokeAsync(Factory, "not-a-token", TenantA.ClientId, TenantA.ClientSecret, hint: "refresh_token");
        Assert.Equal(HttpStatusCode.OK, confidential.StatusCode);
    }

    [Fact]
    public async Task Revocation_by_another_client_answers_200_but_revokes_nothing()
    {
        var (_, signIn, tokens) = await SignedInAsync();
        using var __ = signIn;

        using (var revoke = await RevokeAsync(Factory, tokens.RefreshToken!, TenantA.ClientId, TenantA.ClientSecret))
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        using var refresh = await RefreshAsync(Factory, tokens.RefreshToken!);
        await AssertTokensAsync(refresh);
    }

    [Fact]
    public async Task A_client_of_another_tenant_can_neither_revoke_nor_refresh_tenant_as_tokens()
    {
        var (_, signIn, tokens) = await SignedInAsync();
        using var __ = signIn;
        var clientTokenA = await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret);

        // Revocation answers 200 for what it cannot see (RFC 7009 section 2.2), and another tenant's tokens it cannot see.
        foreach (var token in new[] { tokens.RefreshToken!, tokens.AccessToken, clientTokenA })
        {
            using var revoke = await RevokeAsync(Factory, token, TenantB.ClientId, TenantB.ClientSecret);
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }
        using (var refreshByB = await RefreshAsync(Factory, tokens.RefreshToken!, TenantB.ClientId, TenantB.ClientSecret))
            await AssertOAuthErrorAsync(refreshByB, HttpStatusCode.BadRequest, "invalid_grant");

        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, tokens.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, clientTokenA));
        using var refresh = await RefreshAsync(Factory, tokens.RefreshToken!);
        await AssertTokensAsync(refresh);
    }

    [Fact]
    public async Task Revocation_needs_client_authentication_and_revokes_an_access_token_at_once()
    {
        var (_, signIn, tokens) = await SignedInAsync();
        using var __ = signIn;

        using (var wrong = await RevokeAsync(Factory, tokens.RefreshToken!, TenantA.ClientId, "wrong-secret"))
            await AssertOAuthErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, tokens.AccessToken));

        // An access token is revocable (RFC 7009 section 2): the API refuses it on the very next request.
        using (var access = await RevokeAsync(Factory, tokens.AccessToken, TestTenants.WebClientId, null))
            Assert.Equal(HttpStatusCode.OK, access.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(Factory, tokens.AccessToken));

        // Revoking one access token leaves the rest of the sign-in alone.
        using var refresh = await RefreshAsync(Factory, tokens.RefreshToken!);
        await AssertTokensAsync(refresh);
    }

    // ---- 18. no-store --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Every_token_endpoint_answer_is_no_store()
    {
        var user = await Factory.AddUserAsync(TenantA, "ann.member@a.example", UserRole.Member);
        using var signIn = new SignIn(Factory);
        var redirect = await signIn.AuthorizeAsync(user.Organisation, user.Email, user.Password);
        var code = SignIn.CodeOf(redirect)!;

        static void AssertNoStore(HttpResponseMessage response, string what)
        {
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what} lacks Cache-Control: no-store.");
            Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        }

        using var redeemed = await signIn.RedeemAsync(code);
        var tokens = await AssertTokensAsync(redeemed);
        AssertNoStore(redeemed, "The authorization_code response");

        using var refreshed = await RefreshAsync(Factory, tokens.GetProperty("refresh_token").GetString()!);
        await AssertTokensAsync(refreshed);
        AssertNoStore(refreshed, "The refresh_token response");

        using var replay = await signIn.RedeemAsync(code);
        await AssertOAuthErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_grant");
        AssertNoStore(replay, "The invalid_grant response");

        using var clientCredentials = await PostFormAsync(Factory, "/connect/token", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = TenantA.ClientId, ["client_secret"] = TenantA.ClientSecret,
        });
        Assert.Equal(HttpStatusCode.OK, clientCredentials.StatusCode);
        AssertNoStore(clientCredentials, "The client_credentials response");

        using var authorize = await signIn.Browser.GetAsync(signIn.AuthorizeUrl());
        Assert.True(authorize.Headers.CacheControl?.NoStore, "The authorize redirect carries a code: no-store.");
    }

    // ---- 19. signing key rotation --------------------------------------------------------------------------------

    [Fact]
    public async Task Rotating_the_signing_key_publishes_both_keys_keeps_old_tokens_valid_and_signs_new_ones_with_the_new_key()
    {
        var (platformId, platformSecret) = await AddPlatformClientAsync(Factory);

        // The test database is emptied between tests while the key store (a singleton) keeps its keys in memory:
        // rotate once so the key the "old" tokens are signed with is a stored one, as it always is outside tests.
        using (var anchorOperator = Bearer(Factory, await Factory.TokenAsync(platformId, platformSecret)))
        using (var anchor = await anchorOperator.PostAsync("/api/platform/signing-keys/rotate", null))
            Assert.Equal(HttpStatusCode.OK, anchor.StatusCode);
        using var platform = Bearer(Factory, await Factory.TokenAsync(platformId, platformSecret));
        var (_, signIn, before) = await SignedInAsync();
        using var __ = signIn;
        var oldKid = ForgedTokens.Decode(before.AccessToken).Header["kid"]!.GetValue<string>();

        using var rotate = await platform.PostAsync("/api/platform/signing-keys/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = await Json(rotate);
        var newKid = rotated.GetProperty("kid").GetString()!;
        Assert.NotEqual(oldKid, newKid);
        var published = Strings(rotated, "published");
        Assert.Equal(newKid, published[0]);
        Assert.Contains(oldKid, published);

        var jwksKids = (await GetJsonAsync("/.well-known/jwks.json")).GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(oldKid, jwksKids);
        Assert.Contains(newKid, jwksKids);

        Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, before.AccessToken));
        using (var oldRefresh = await RefreshAsync(Factory, before.RefreshToken!))
        {
            var after = await AssertTokensAsync(oldRefresh);
            var accessAfter = after.GetProperty("access_token").GetString()!;
            Assert.Equal(newKid, ForgedTokens.Decode(accessAfter).Header["kid"]!.GetValue<string>());
            Assert.Equal(newKid, ForgedTokens.Decode(after.GetProperty("id_token").GetString()!).Header["kid"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(Factory, accessAfter));
        }
        var clientToken = await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret);
        Assert.Equal(newKid, ForgedTokens.Decode(clientToken).Header["kid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_a_platform_operator_may_rotate_the_signing_key()
    {
        var admin = await Factory.AddUserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var adminApi = await Factory.ClientForAsync(admin);
        var kidBefore = ForgedTokens.Decode(await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret)).Header["kid"]!.GetValue<string>();

        using (var byAdmin = await adminApi.PostAsync("/api/platform/signing-keys/rotate", null))
            Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        using (var byClient = await A.PostAsync("/api/platform/signing-keys/rotate", null))
            Assert.Equal(HttpStatusCode.Forbidden, byClient.StatusCode);
        using (var anonymous = await Factory.CreateClient().PostAsync("/api/platform/signing-keys/rotate", null))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var kidAfter = ForgedTokens.Decode(await Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret)).Header["kid"]!.GetValue<string>();
        Assert.Equal(kidBefore, kidAfter);
    }
}
