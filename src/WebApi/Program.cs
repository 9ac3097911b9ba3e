using CrmTenancy.Application;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Infrastructure;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Endpoints;
using CrmTenancy.WebApi.Errors;
using CrmTenancy.WebApi.Http;
using Microsoft.AspNetCore.Authentication;

var builder = WebApplication.CreateBuilder(args);

builder.WebHost.ConfigureKestrel(kestrel => RequestLimits.ApplyTo(kestrel.Limits));

builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration);
// The web host's own modules (IServiceModule) register themselves, as the other layers' do.
builder.Services.AddServiceModules(typeof(Program).Assembly);
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<ICurrentUser, HttpCurrentUser>();

builder.Services.AddSingleton<VerifiedTokens>();
builder.Services.AddAuthentication(AccessTokenAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthenticationHandler>(AccessTokenAuthenticationHandler.SchemeName, null)
    // The authorization server's sign-in session: read only by /connect/authorize, never by the API.
    .AddCookie(Session.Scheme, cookie =>
    {
        cookie.Cookie.Name = Session.Scheme;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.SlidingExpiration = false;
    });
builder.Services.AddSignInRateLimits(builder.Configuration);
builder.Services.AddTenantRateLimits();
builder.Services.AddAntiforgery(antiforgery =>
{
    antiforgery.Cookie.Name = "crm.antiforgery";
    antiforgery.Cookie.SameSite = SameSiteMode.Strict;
});
builder.Services.AddAuthorizationBuilder().AddScopePolicies();

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
// Bodies are read exactly as the document publishes them (StrictJson): unknown fields, loose enum values and left-out
// values of a PUT are a 400 naming the field.
builder.Services.ConfigureHttpJsonOptions(json => StrictJson.Configure(json.SerializerOptions));
// Binding failures (a malformed body, a query value of the wrong type) reach the one problem-details handler,
// which names the field, instead of ending as an empty 400.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddOpenApi(openApi => openApi.AddOAuth2Security().DescribeStrictTypes().DescribeIdempotencyKeys().DescribeRequestExamples());
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

var app = builder.Build();

await app.Services.PrepareDatabaseAsync(app.Configuration, app.Lifetime.ApplicationStopping);

app.UseExceptionHandler();
// A status without a body (no route, method not allowed) gets a problem document, whatever Accept says.
app.UseStatusCodePages(context => Problems.WriteForStatus(context.HttpContext));
app.UseMiddleware<RequestLimits>();
app.Use(Connect.ReadProtocolForm);
ApiAuthentication.Use(app);
app.UseMiddleware<TenantResolutionMiddleware>();
// After authentication: a limit may be per caller (lead capture is per client), not only per address.
app.UseMiddleware<TenantRateLimits.Lookup>();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<IdempotencyKeys>();

app.MapOpenApi();
app.UseSwaggerUI(ui =>
{
    ui.SwaggerEndpoint("/openapi/v1.json", "CrmTenancy API");
    ui.RoutePrefix = "docs";
});
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapEndpointGroups();

app.Run();

public partial class Program;
