using CrmTenancy.Application.Abstractions;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>
/// The bearer token handler against forged tokens, and the token endpoint and JWKS. Every forgery starts from a
/// real token of tenant A, so each test changes exactly one thing; the re-signed sanity test proves the forging
/// helper produces tokens the API accepts, so a refusal is the validator's doing, not a broken forgery.
/// </summary>
public sealed class TokenTests(ApiFactory factory) : ApiTest(factory)
{
    private const string CustomersUrl = "/api/customers";
    private static readonly TimeSpan BeyondSkew = TimeSpan.FromSeconds(90);

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Task<string> RealTokenAsync(string? scope = null) => Factory.TokenAsync(TenantA.ClientId, TenantA.ClientSecret, scope);

    private async Task<TokenParts> RealPartsAsync() => ForgedTokens.Decode(await RealTokenAsync());

    /// <summary>The server's own signing key (a shared singleton: never dispose it).</summary>
    private async Task<LoadedSigningKey> ServerKeyAsync() =>
        await Factory.Services.GetRequiredService<SigningKeyStore>().CurrentAsync(TestContext.Current.CancellationToken);

    private async Task<string> SignWithServerKeyAsync(TokenParts parts) => ForgedTokens.SignEs256(parts, (await ServerKeyAsync()).Key);

    /// <summary>Sets iat, nbf and exp the way the issuer does: nbf = iat, exp = iat + lifetime.</summary>
    private static TokenParts Timed(TokenParts parts, DateTimeOffset issuedAt, DateTimeOffset expiresAt, DateTimeOffset? notBefore = null)
    {
        parts.Payload["iat"] = ForgedTokens.Seconds(issuedAt);
        parts.Payload["nbf"] = ForgedTokens.Seconds(notBefore ?? issuedAt);
        parts.Payload["exp"] = ForgedTokens.Seconds(expiresAt);
        return parts;
    }

    private async Task<HttpResponseMessage> GetCustomersAsync(string? token)
    {
        using var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, CustomersUrl);
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return await client.SendAsync(request);
    }

    private static string? WwwAuthenticate(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? string.Join(", ", values) : null;

    /// <summary>401 with an RFC 6750 invalid_token challenge whose description names <paramref name="reason"/>.</summary>
    private static void AssertInvalidToken(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = WwwAuthenticate(response);
        Assert.NotNull(challenge);
        Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains(reason, challenge, StringComparison.OrdinalIgnoreCase);
    }

    private async Task AssertRefusedAsync(string token, string reason)
    {
        using var response = await GetCustomersAsync(token);
        AssertInvalidToken(response, reason);
    }

    private async Task<HttpResponseMessage> PostTokenAsync(Dictionary<string, string> form, AuthenticationHeaderValue? authorization = null)
    {
        using var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));

    private async Task<JsonElement> JwksAsync()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    private static JsonElement KeyById(JsonElement jwks, string keyId) =>
        jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == keyId);

    // ---- the forging helper is sound -------------------------------------------------------------------------

    [Fact]
    public async Task A_token_re_signed_with_the_server_key_is_accepted()
    {
        var parts = await RealPartsAsync();
        var key = await ServerKeyAsync();
        Assert.Equal(key.KeyId, parts.Header["kid"]!.GetValue<string>());

        // Every byte of header and payload is re-encoded and a new jti is set, so the signature is really new.
        parts.Payload["jti"] = Guid.CreateVersion7().ToString("N");
        var now = DateTimeOffset.UtcNow;
        var token = ForgedTokens.SignEs256(Timed(parts, now, now.AddMinutes(5)), key.Key);

        using var response = await GetCustomersAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await Json(response)).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_token_expired_by_less_than_the_clock_skew_is_still_accepted()
    {
        var now = DateTimeOffset.UtcNow;
        var token = await SignWithServerKeyAsync(Timed(await RealPartsAsync(), now.AddMinutes(-15), now.AddSeconds(-10)));

        using var response = await GetCustomersAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // ---- no token and missing scope -------------------------------------------------------------------------

    [Fact]
    public async Task A_request_without_a_token_gets_401_with_a_bare_bearer_challenge()
    {
        using var response = await GetCustomersAsync(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", WwwAuthenticate(response));
    }

    [Fact]
    public async Task A_token_without_crm_write_can_read_but_gets_403_on_a_write()
    {
        var token = await RealTokenAsync(scope: Scopes.Read);
        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var read = await client.GetAsync(CustomersUrl);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var write = await client.PostAsJsonAsync(CustomersUrl, new { name = "Not allowed" });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("insufficient_scope", WwwAuthenticate(write), StringComparison.Ordinal);

        Assert.Equal(0, (await Json(await A.GetAsync(CustomersUrl))).GetProperty("totalCount").GetInt32());
    }

    // ---- forged tokens ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("none", false)]
    [InlineData("none", true)]
    [InlineData("None", true)]
    [InlineData("NONE", true)]
    public async Task An_unsigned_alg_none_token_is_refused(string algorithm, bool keepOriginalSignature)
    {
        var parts = await RealPartsAsync();
        parts.Header["alg"] = algorithm;

        // With an empty signature the token is not even a compact JWS; with the old one, alg itself is refused.
        var token = ForgedTokens.WithSignature(parts, keepOriginalSignature ? parts.Signature : "");

        await AssertRefusedAsync(token, keepOriginalSignature ? "algorithm" : "compact JWS");
    }

    [Theory]
    [InlineData("jwk")]
    [InlineData("x||y")]
    [InlineData("spki-der")]
    [InlineData("spki-pem")]
    public async Task An_hs256_token_keyed_with_the_public_key_is_refused(string keyMaterial)
    {
        var parts = await RealPartsAsync();
        var jwk = KeyById(await JwksAsync(), parts.Header["kid"]!.GetValue<string>());
        using var publicKey = ForgedTokens.PublicKeyFromJwk(jwk);
        var secret = keyMaterial switch
        {
            "jwk" => Encoding.UTF8.GetBytes(jwk.GetRawText()),
            "x||y" => [.. System.Buffers.Text.Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()),
                       .. System.Buffers.Text.Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString())],
            "spki-der" => publicKey.ExportSubjectPublicKeyInfo(),
            _ => Encoding.ASCII.GetBytes(publicKey.ExportSubjectPublicKeyInfoPem()),
        };
        parts.Header["alg"] = "HS256";

        await AssertRefusedAsync(ForgedTokens.SignHs256(parts, secret), "algorithm");
    }

    [Fact]
    public async Task A_token_with_one_signature_byte_flipped_is_refused()
    {
        var token = await RealTokenAsync();
        var segments = token.Split('.');
        var forged = $"{segments[0]}.{segments[1]}.{ForgedTokens.FlipSignatureByte(segments[2])}";
        Assert.NotEqual(token, forged);

        await AssertRefusedAsync(forged, "signature");
    }

    [Fact]
    public async Task A_token_signed_by_another_key_under_the_real_kid_is_refused()
    {
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var parts = Timed(await RealPartsAsync(), now, now.AddMinutes(5));

        await AssertRefusedAsync(ForgedTokens.SignEs256(parts, attackerKey), "signature");
    }

    [Fact]
    public async Task A_token_naming_an_unknown_kid_is_refused()
    {
        var parts = await RealPartsAsync();
        parts.Header["kid"] = "0000000000000000";

        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "unknown key");
    }

    [Fact]
    public async Task A_tenant_id_edited_in_a_valid_token_breaks_its_signature()
    {
        var parts = await RealPartsAsync();
        Assert.Equal(TenantA.Id.ToString(), parts.Payload["tenant_id"]!.GetValue<string>());
        parts.Payload["tenant_id"] = TenantB.Id.ToString();

        await AssertRefusedAsync(ForgedTokens.WithSignature(parts, parts.Signature), "signature");
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        var parts = Timed(await RealPartsAsync(), now.AddMinutes(-16), now - BeyondSkew);

        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "expired");
    }

    [Fact]
    public async Task A_token_without_exp_is_refused()
    {
        var parts = await RealPartsAsync();
        parts.Payload.Remove("exp");

        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "expired");
    }

    [Fact]
    public async Task A_token_not_valid_for_another_ten_minutes_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        var parts = Timed(await RealPartsAsync(), now, now.AddMinutes(25), notBefore: now.AddMinutes(10));

        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "not valid yet");
    }

    [Fact]
    public async Task A_token_issued_in_the_future_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        var parts = Timed(await RealPartsAsync(), now.AddMinutes(10), now.AddMinutes(25), notBefore: now);

        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "issue time");
    }

    [Theory]
    [InlineData("http://evil.test")]
    [InlineData("http://crm.test/")]
    [InlineData("HTTP://CRM.TEST")]
    [InlineData("")]
    public async Task A_token_from_another_issuer_is_refused(string issuer)
    {
        var parts = await RealPartsAsync();
        Assert.Equal(ApiFactory.Issuer, parts.Payload["iss"]!.GetValue<string>());
        parts.Payload["iss"] = issuer;

        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "issuer");
    }

    [Theory]
    [InlineData("\"other-api\"")]
    [InlineData("\"CRM-API\"")]
    [InlineData("[\"other-api\", \"billing\"]")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task A_token_for_another_audience_is_refused(string audienceJson)
    {
        var parts = await RealPartsAsync();
        Assert.Equal("crm-api", parts.Payload["aud"]!.GetValue<string>());
        parts.Payload["aud"] = JsonNode.Parse(audienceJson);

        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "not meant for this API");
    }

    [Fact]
    public async Task A_token_whose_audience_list_includes_this_api_is_accepted()
    {
        var parts = await RealPartsAsync();
        parts.Payload["aud"] = new JsonArray("billing", "crm-api");

        using var response = await GetCustomersAsync(await SignWithServerKeyAsync(parts));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData("id_token+jwt")]
    [InlineData(null)]
    public async Task A_token_not_typed_at_jwt_is_refused(string? type)
    {
        var parts = await RealPartsAsync();
        Assert.Equal("at+jwt", parts.Header["typ"]!.GetValue<string>());
        if (type is null)
            parts.Header.Remove("typ");
        else
            parts.Header["typ"] = type;

        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "typ");
    }

    // ---- the token endpoint ---------------------------------------------------------------------------------

    [Fact]
    public async Task A_successful_token_response_is_not_cacheable_and_describes_the_token()
    {
        using var response = await PostTokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = TenantA.ClientId, ["client_secret"] = TenantA.ClientSecret,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "The token response must carry Cache-Control: no-store.");
        Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        var body = await Json(response);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 1, 15 * 60);
        Assert.Equal("crm.read crm.write crm.admin crm.capture", body.GetProperty("scope").GetString());
        Assert.Equal(3, body.GetProperty("access_token").GetString()!.Split('.').Length);
    }

    [Fact]
    public async Task A_wrong_client_secret_gets_401_invalid_client()
    {
        using var response = await PostTokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = TenantA.ClientId, ["client_secret"] = TenantA.ClientSecret + "x",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await Json(response)).GetProperty("error").GetString());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_wrong_secret_over_basic_gets_401_invalid_client_with_a_basic_challenge()
    {
        using var response = await PostTokenAsync(new() { ["grant_type"] = "client_credentials" }, Basic(TenantA.ClientId, "not-the-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await Json(response)).GetProperty("error").GetString());
        Assert.StartsWith("Basic", WwwAuthenticate(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_client_gets_the_same_401_invalid_client()
    {
        using var response = await PostTokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "nobody-client", ["client_secret"] = TenantA.ClientSecret,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await Json(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("password")]
    [InlineData("CLIENT_CREDENTIALS")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    public async Task An_unknown_grant_type_gets_400_unsupported_grant_type(string grantType)
    {
        using var response = await PostTokenAsync(new()
        {
            ["grant_type"] = grantType, ["client_id"] = TenantA.ClientId, ["client_secret"] = TenantA.ClientSecret,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_scope_the_client_may_not_ask_for_gets_400_invalid_scope()
    {
        var (readerId, readerSecret) = await Factory.AddClientAsync(TenantA.Id, "tenant-a-reader", Scopes.Read);

        using var beyondClient = await PostTokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = readerId, ["client_secret"] = readerSecret, ["scope"] = "crm.read crm.write",
        });
        Assert.Equal(HttpStatusCode.BadRequest, beyondClient.StatusCode);
        Assert.Equal("invalid_scope", (await Json(beyondClient)).GetProperty("error").GetString());

        using var unknownScope = await PostTokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = TenantA.ClientId, ["client_secret"] = TenantA.ClientSecret, ["scope"] = "platform.admin",
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknownScope.StatusCode);
        Assert.Equal("invalid_scope", (await Json(unknownScope)).GetProperty("error").GetString());

        // The same client gets what it is allowed.
        using var allowed = await PostTokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = readerId, ["client_secret"] = readerSecret, ["scope"] = "crm.read",
        });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("crm.read", (await Json(allowed)).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Client_secret_basic_authentication_issues_a_working_token()
    {
        using var response = await PostTokenAsync(new() { ["grant_type"] = "client_credentials" }, Basic(TenantA.ClientId, TenantA.ClientSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await Json(response)).GetProperty("access_token").GetString()!;
        Assert.Equal(TenantA.Id.ToString(), ForgedTokens.Decode(token).Payload["tenant_id"]!.GetValue<string>());
        using var customers = await GetCustomersAsync(token);
        Assert.Equal(HttpStatusCode.OK, customers.StatusCode);
    }

    [Fact]
    public async Task The_jwks_publishes_the_p256_public_key_that_verifies_a_real_token()
    {
        var token = await RealTokenAsync();
        var header = ForgedTokens.Decode(token).Header;
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());

        var jwk = KeyById(await JwksAsync(), header["kid"]!.GetValue<string>());
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal("P-256", jwk.GetProperty("crv").GetString());
        Assert.Equal("ES256", jwk.GetProperty("alg").GetString());
        Assert.Equal("sig", jwk.GetProperty("use").GetString());
        Assert.False(jwk.TryGetProperty("d", out _), "The JWKS must never publish the private key.");
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()).Length);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()).Length);

        using var publicKey = ForgedTokens.PublicKeyFromJwk(jwk);
        Assert.True(ForgedTokens.VerifyEs256(token, publicKey), "The published key does not verify a token the server signed.");
        var segments = token.Split('.');
        Assert.False(ForgedTokens.VerifyEs256($"{segments[0]}.{segments[1]}.{ForgedTokens.FlipSignatureByte(segments[2])}", publicKey));
    }
    [Fact]
    public async Task A_token_with_a_critical_header_extension_is_refused_even_when_signed_by_the_server()
    {
        var parts = await RealPartsAsync();
        parts.Header["crit"] = new JsonArray("exp-extension");
        parts.Header["exp-extension"] = true;
        await AssertRefusedAsync(await SignWithServerKeyAsync(parts), "critical");
    }

    [Fact]
    public async Task Basic_client_credentials_are_form_decoded_per_rfc_6749()
    {
        var (clientId, secret) = await Factory.AddClientAsync(TenantA.Id, "client with space", "crm.read");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId).Replace("%20", "+")}:{Uri.EscapeDataString(secret)}"));
        using var response = await PostTokenAsync(
            new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, new AuthenticationHeaderValue("Basic", encoded));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
