using CrmTenancy.Infrastructure.Identity;

namespace CrmTenancy.IntegrationTests.Identity;

/// <summary>PKCE with S256 (RFC 7636). Pure unit tests: the type lives in Infrastructure, which UnitTests does not reference.</summary>
public sealed class PkceTests
{
    // RFC 7636 appendix B: the verifier is the base64url of these 32 octets, the challenge its S256.
    private static readonly byte[] AppendixBOctets =
        [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
    private const string AppendixBVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string AppendixBChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    [Fact]
    public void The_challenge_of_the_rfc_7636_appendix_b_verifier_is_the_rfcs()
    {
        Assert.Equal(AppendixBVerifier, System.Buffers.Text.Base64Url.EncodeToString(AppendixBOctets));
        Assert.Equal(AppendixBChallenge, Pkce.Challenge(AppendixBVerifier));
        Assert.True(Pkce.IsValidVerifier(AppendixBVerifier));
        Assert.True(Pkce.IsValidChallenge(AppendixBChallenge));
        Assert.True(Pkce.Matches(AppendixBVerifier, AppendixBChallenge));
    }

    [Theory]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl")] // last character changed
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")] // the challenge sent as the verifier ("plain")
    public void Another_verifier_does_not_match(string verifier) => Assert.False(Pkce.Matches(verifier, AppendixBChallenge));

    [Fact]
    public void A_challenge_differing_in_case_does_not_match() =>
        Assert.False(Pkce.Matches(AppendixBVerifier, AppendixBChallenge.ToLowerInvariant()));

    [Theory]
    [InlineData(43, true)]
    [InlineData(128, true)]
    [InlineData(42, false)]
    [InlineData(129, false)]
    [InlineData(0, false)]
    public void A_verifier_is_43_to_128_characters(int length, bool valid) =>
        Assert.Equal(valid, Pkce.IsValidVerifier(new string('a', length)));

    [Theory]
    [InlineData("-._~")]
    [InlineData("AZaz09")]
    public void A_verifier_may_use_the_unreserved_characters(string characters) =>
        Assert.True(Pkce.IsValidVerifier(characters + new string('x', 43 - characters.Length)));

    [Theory]
    [InlineData("+")]
    [InlineData("/")]
    [InlineData("=")]
    [InlineData(" ")]
    [InlineData("é")]
    public void A_verifier_with_another_character_is_invalid(string character) =>
        Assert.False(Pkce.IsValidVerifier(character + new string('x', 42)));

    [Fact]
    public void No_verifier_is_invalid() => Assert.False(Pkce.IsValidVerifier(null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")]   // 42
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cMA")] // 44
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c=")]  // padded
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")]  // base64, not base64url
    public void A_challenge_is_43_base64url_characters(string? challenge) => Assert.False(Pkce.IsValidChallenge(challenge));
}
