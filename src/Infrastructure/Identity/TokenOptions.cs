namespace CrmTenancy.Infrastructure.Identity;

/// <summary>Settings of the token service ("Tokens" section).</summary>
public sealed class TokenOptions
{
    public const string Section = "Tokens";

    /// <summary>The iss of every token; the API accepts no other.</summary>
    public string Issuer { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The aud of access tokens for this API.</summary>
    public string Audience { get; set; } = "crm-api";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Tolerance for clock differences when checking exp, nbf and iat.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
