using System.Security.Claims;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Application.Users.AcceptInvitation;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// The sign-in page the authorize endpoint sends people to, sign-out, and the page that accepts an invitation.
/// Forms carry an antiforgery token; a failed sign-in says the same thing whether or not the email exists.
/// </summary>
public sealed class Account : IEndpointGroup
{
    public const string SignInFailed = "The organisation, email or password is not right, or the account is locked for a while. Try again.";
    public const string SuspendedForMembers = "Your organisation's access is suspended. Your administrator can tell you more.";
    private const int MaxField = 256;

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").AllowAnonymous().ExcludeFromDescription().DisableAntiforgery().WithMetadata(ResolvesOwnTenant.Instance);
        group.MapGet("/login", LoginPage);
        group.MapPost("/login", Login).RequireRateLimiting(SignInRateLimits.SignIn);
        group.MapGet("/login/code", CodeRequestPage);
        group.MapPost("/login/code", RequestCode).RequireRateLimiting(SignInRateLimits.SignIn);
        group.MapPost("/login/code/verify", VerifyCode).RequireRateLimiting(SignInRateLimits.SignIn);
        group.MapPost("/logout", Logout);
        group.MapGet("/accept-invitation", AcceptInvitationPage);
        group.MapPost("/accept-invitation", AcceptInvitation).RequireRateLimiting(SignInRateLimits.SignUp);
    }

    public static IResult LoginPage(HttpContext context, IAntiforgery antiforgery, string? returnUrl = null) =>
        LoginForm(context, antiforgery, SafeReturnUrl(returnUrl), null, null, null);

    public static async Task<IResult> Login(HttpContext context, IAntiforgery antiforgery, PasswordSignIn passwords, TimeProvider clock)
    {
        if (!context.Request.HasFormContentType)
            return Html.Page("Sign in", Html.Error("The form could not be read."), StatusCodes.Status400BadRequest);
        if (!await antiforgery.IsRequestValidAsync(context))
            return Html.Page("Sign in", Html.Error("The form expired or did not come from this site. Go back and try again."), StatusCodes.Status400BadRequest);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var organisation = Field(form, "organisation");
        var email = Field(form, "email");
        var password = Field(form, "password", trim: false);
        var returnUrl = SafeReturnUrl(form["returnUrl"]);
        var signedIn = email is null || password is null ? null : await passwords.SignInAsync(organisation, email, password, context.RequestAborted);
        if (signedIn is null)
            return LoginForm(context, antiforgery, returnUrl, organisation, email, SignInFailed, StatusCodes.Status400BadRequest);
        // The right password of a suspended organisation: its administrators learn why, its members that it is.
        if (signedIn.Suspension is { } suspension)
            return LoginForm(context, antiforgery, returnUrl, organisation, email, suspension.ToAdministrator
                ? $"Your organisation is suspended: {suspension.Reason} Until the platform lifts the suspension, nobody can sign in."
                : SuspendedForMembers, StatusCodes.Status403Forbidden);
        return await StartSessionAsync(context, signedIn, returnUrl, clock);
    }

    /// <summary>The signed-in session (a cookie) for the account, then back to the authorize request.</summary>
    private static async Task<IResult> StartSessionAsync(HttpContext context, SignedInAccount signedIn, string? returnUrl, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var identity = new ClaimsIdentity(Session.Scheme, ClaimNames.Subject, ClaimNames.Role);
        identity.AddClaim(new Claim(ClaimNames.Subject, signedIn.Id.ToString()));
        if (signedIn.TenantId is { } signedInTenant)
            identity.AddClaim(new Claim(ClaimNames.TenantId, signedInTenant.ToString()));
        identity.AddClaim(new Claim(Session.AuthTime, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(Session.Stamp, SecurityStamps.Digest(signedIn.SecurityStamp)));
        await context.SignInAsync(Session.Scheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl ?? "/account/login?signedIn=1");
    }

    // ---- passwordless: a one-time code by email, for tenants that allow it (SignInCodes) ---------------------------

    public const string CodeSent =
        "If your organisation allows sign-in by email code and the address has an account, a six-digit code is on its way. It works once, for 10 minutes.";

    public const string CodeFailed = "The code is not right, was used or has expired, or the account is locked for a while. Ask for a new code.";

    public static IResult CodeRequestPage(HttpContext context, IAntiforgery antiforgery, string? returnUrl = null) =>
        CodeRequestForm(context, antiforgery, SafeReturnUrl(returnUrl), null);

    public static async Task<IResult> RequestCode(HttpContext context, IAntiforgery antiforgery, SignInCodes codes)
    {
        if (await TrustedFormAsync(context, antiforgery) is not { } form)
            return ExpiredForm;
        var returnUrl = SafeReturnUrl(form["returnUrl"]);
        var organisation = Field(form, "organisation");
        var email = Field(form, "email");
        if (organisation is null || email is null)
            return CodeRequestForm(context, antiforgery, returnUrl, "Give your organisation and your email.");
        await codes.RequestAsync(organisation, email, context.RequestAborted);
        return CodeForm(context, antiforgery, returnUrl, organisation, email, null);
    }

    public static async Task<IResult> VerifyCode(HttpContext context, IAntiforgery antiforgery, SignInCodes codes, TimeProvider clock)
    {
        if (await TrustedFormAsync(context, antiforgery) is not { } form)
            return ExpiredForm;
        var returnUrl = SafeReturnUrl(form["returnUrl"]);
        var organisation = Field(form, "organisation");
        var email = Field(form, "email");
        var code = Field(form, "code");
        var signedIn = organisation is null || email is null || code is null
            ? null
            : await codes.VerifyAsync(organisation, email, code, context.RequestAborted);
        return signedIn is null
            ? CodeForm(context, antiforgery, returnUrl, organisation, email, CodeFailed)
            : await StartSessionAsync(context, new SignedInAccount(signedIn.UserId, signedIn.TenantId, signedIn.SecurityStamp), returnUrl, clock);
    }

    /// <summary>The posted form, when it is one and carries this site's antiforgery token; otherwise null.</summary>
    private static async Task<IFormCollection?> TrustedFormAsync(HttpContext context, IAntiforgery antiforgery) =>
        context.Request.HasFormContentType && await antiforgery.IsRequestValidAsync(context)
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : null;

    private static IResult ExpiredForm =>
        Html.Page("Sign in", Html.Error("The form expired or did not come from this site. Go back and try again."), StatusCodes.Status400BadRequest);

    private static IResult CodeRequestForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error)
    {
        var tokens = FormTokens(context, antiforgery);
        return Html.Page("Sign in with a code", $"""
            <h1>Sign in with a code by email</h1>
            {Html.Error(error)}
            <form method="post" action="/account/login/code" novalidate>
            {Html.Hidden(tokens.FormFieldName, tokens.RequestToken)}
            {Html.Hidden("returnUrl", returnUrl)}
            <label for="organisation">Organisation</label>
            <input id="organisation" name="organisation" autocomplete="organization" required placeholder="acme">
            <label for="email">Email</label>
            <input id="email" name="email" type="email" autocomplete="username" required>
            <button type="submit">Email me a code</button>
            </form>
            """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static IResult CodeForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? organisation, string? email, string? error)
    {
        var tokens = FormTokens(context, antiforgery);
        return Html.Page("Sign in with a code", $"""
            <h1>Enter your code</h1>
            {Html.Error(error)}
            <p class="ok">{Html.Encode(CodeSent)}</p>
            <form method="post" action="/account/login/code/verify" novalidate>
            {Html.Hidden(tokens.FormFieldName, tokens.RequestToken)}
            {Html.Hidden("returnUrl", returnUrl)}
            {Html.Hidden("organisation", organisation)}
            {Html.Hidden("email", email)}
            <label for="code">Code</label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
            <button type="submit">Sign in</button>
            </form>
            """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    public static async Task<IResult> Logout(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
            return Html.Page("Sign out", Html.Error("The form expired or did not come from this site."), StatusCodes.Status400BadRequest);
        await context.SignOutAsync(Session.Scheme);
        return Html.Page("Signed out", "<h1>You are signed out</h1>");
    }

    public static IResult AcceptInvitationPage(HttpContext context, IAntiforgery antiforgery, string? token = null) =>
        InvitationForm(context, antiforgery, token, null);

    public static async Task<IResult> AcceptInvitation(HttpContext context, IAntiforgery antiforgery, TenantContext tenant, IMediator mediator)
    {
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
            return Html.Page("Accept invitation", Html.Error("The form expired or did not come from this site. Open the link again."), StatusCodes.Status400BadRequest);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = Field(form, "token");
        if (!OpaqueHandle.TryReadTenant(token, out var tenantId) || tenantId is not { } id)
            return InvitationForm(context, antiforgery, token, "The invitation is not valid: it is unknown, was used or revoked, or has expired.");
        tenant.Resolve(id);
        try
        {
            await mediator.Send(new AcceptInvitation(token!, Field(form, "displayName") ?? "", Field(form, "password", trim: false) ?? ""), context.RequestAborted);
        }
        catch (ValidationException validation)
        {
            return InvitationForm(context, antiforgery, token, string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
        }
        catch (ConflictException conflict)
        {
            return InvitationForm(context, antiforgery, token, conflict.Message);
        }
        return Html.Page("Welcome", """<h1>Welcome aboard</h1><p class="ok">Your account is ready. Sign in from the app with your organisation, email and new password.</p>""");
    }


    /// <summary>A form field, trimmed unless it is a password (the API's sign-up and invitation keep a password as it was typed).</summary>
    private static string? Field(IFormCollection form, string name, bool trim = true)
    {
        string? value = form[name];
        if (trim)
            value = value?.Trim();
        return string.IsNullOrEmpty(value) || value.Length > MaxField || !TextInput.IsAcceptable(value) ? null : value;
    }

    /// <summary>
    /// Only the authorize endpoint of this server is a place to return to: no open redirect through the sign-in page.
    /// The authorize endpoint sends its query encoded, so anything but visible ASCII did not come from it (and a Location
    /// header cannot carry it: Kestrel answers 500).
    /// </summary>
    public static string? SafeReturnUrl(string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith("/connect/authorize?", StringComparison.Ordinal) && !returnUrl.Contains('\\')
            && !returnUrl.Contains("//", StringComparison.Ordinal) && returnUrl.Length <= 4096 && returnUrl.All(c => c is > ' ' and < '\u007f')
            ? returnUrl
            : null;

    /// <summary>
    /// The antiforgery tokens of a form page, and the headers every form page gets: never cached, never framed, no
    /// script. No form-action: browsers apply it to the redirects after the post too, and sign-in ends at the
    /// client's redirect URI.
    /// </summary>
    private static AntiforgeryTokenSet FormTokens(HttpContext context, IAntiforgery antiforgery)
    {
        // After the antiforgery tokens, which set caching and framing headers of their own.
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        return tokens;
    }

    private static IResult LoginForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? organisation, string? email, string? error,
        int statusCode = StatusCodes.Status200OK)
    {
        var tokens = FormTokens(context, antiforgery);
        return Html.Page("Sign in", $"""
            <h1>Sign in</h1>
            {Html.Error(error)}
            <form method="post" action="/account/login" novalidate>
            {Html.Hidden(tokens.FormFieldName, tokens.RequestToken)}
            {Html.Hidden("returnUrl", returnUrl)}
            <label for="organisation">Organisation</label>
            <input id="organisation" name="organisation" autocomplete="organization" value="{Html.Encode(organisation)}" placeholder="acme">
            <p class="hint">Your organisation's short name. Platform operators leave it empty.</p>
            <label for="email">Email</label>
            <input id="email" name="email" type="email" autocomplete="username" required value="{Html.Encode(email)}">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form>
            <p class="hint"><a href="/account/login/code?returnUrl={Uri.EscapeDataString(returnUrl ?? "")}">Sign in with a code sent by email instead</a></p>
            """, statusCode);
    }

    private static IResult InvitationForm(HttpContext context, IAntiforgery antiforgery, string? token, string? error)
    {
        var tokens = FormTokens(context, antiforgery);
        return Html.Page("Accept invitation", $"""
            <h1>Join your team</h1>
            {Html.Error(error)}
            <form method="post" action="/account/accept-invitation">
            {Html.Hidden(tokens.FormFieldName, tokens.RequestToken)}
            {Html.Hidden("token", token)}
            <label for="displayName">Your name</label>
            <input id="displayName" name="displayName" autocomplete="name" required>
            <label for="password">Choose a password</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required minlength="10">
            <p class="hint">At least 10 characters.</p>
            <button type="submit">Create my account</button>
            </form>
            """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}

/// <summary>The sign-in session of the authorization server (a cookie), separate from the API's bearer tokens.</summary>
public static class Session
{
    public const string Scheme = "crm.session";
    public const string AuthTime = "auth_time";
    public const string Stamp = CrmTenancy.Infrastructure.Identity.Server.ProtocolGrants.StampClaim;
}
