using CrmTenancy.Application.Abstractions;
using FluentValidation;

namespace CrmTenancy.Application.Clients;

public static class ClientRules
{
    public const int NameMaxLength = 200;
    public const int MaxRedirectUris = 10;
    public const int RedirectUriMaxLength = 2048;

    /// <summary>
    /// A redirect URI is absolute, without a fragment, and https unless it points at this machine (RFC 8252 loopback
    /// for native apps and development). It is matched exactly, character for character, and sent back as it is in a
    /// Location header, so it is written as RFC 3986 writes URIs: visible ASCII only (an IDN host in its xn-- form,
    /// other characters percent-encoded).
    /// </summary>
    public static bool IsAcceptableRedirectUri(string? value) =>
        value is not null && value.All(c => c is > ' ' and < '\u007f')
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.Fragment) && !value.Contains('#')
        && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    public static void ApplyClientRules<T>(this AbstractValidator<T> validator, Func<T, string> name, Func<T, IReadOnlyList<string>?> scopes,
        Func<T, IReadOnlyList<string>?> redirectUris)
    {
        validator.RuleFor(x => name(x)).NotEmpty().MaximumLength(NameMaxLength).OverridePropertyName("name");
        validator.RuleFor(x => scopes(x)).NotEmpty().WithMessage("At least one scope is required.").OverridePropertyName("scopes");
        validator.RuleForEach(x => scopes(x)).Must(s => Scopes.Tenant.Contains(s))
            .WithMessage($"A tenant's client may hold only {string.Join(", ", Scopes.Tenant)}.").OverridePropertyName("scopes");
        validator.RuleFor(x => redirectUris(x)).Must(u => u is null || u.Count <= MaxRedirectUris)
            .WithMessage($"At most {MaxRedirectUris} redirect URIs.").OverridePropertyName("redirectUris");
        validator.RuleForEach(x => redirectUris(x)).MaximumLength(RedirectUriMaxLength).Must(IsAcceptableRedirectUri)
            .WithMessage("A redirect URI is an absolute https URI (http only on loopback) without a fragment or user info.")
            .OverridePropertyName("redirectUris");
    }
}
