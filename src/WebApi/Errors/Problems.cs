using System.Text.Json;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace CrmTenancy.WebApi.Errors;

/// <summary>
/// The one place that turns outcomes into RFC 9457 problem details. A missing id and another tenant's id raise
/// the same <see cref="NotFoundException"/> and so produce the same body.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public const string TypeBase = "https://crmtenancy.dev/problems/";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException validation => ValidationProblem(validation),
            BadHttpRequestException badRequest => BadRequestProblem(badRequest),
            NotFoundException notFound => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound, Title = "Not Found", Type = TypeBase + "not-found",
                Detail = $"The {Humanise(notFound.Resource)} was not found.",
            },
            ConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict", conflict.Code, conflict.Message),
            DomainRuleException rule => Problem(StatusCodes.Status409Conflict, "Business rule violated", rule.Rule, rule.Message),
            PreconditionFailedException stale => Problem(StatusCodes.Status412PreconditionFailed, "Precondition Failed", "stale-etag", stale.Message),
            TenantRequiredException tenant => Problem(StatusCodes.Status403Forbidden, "Forbidden", "tenant-required", tenant.Message),
            ForbiddenException forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", "forbidden", forbidden.Message),
            PlanLimitExceededException limit => PlanLimitProblem(limit),
            _ when Infrastructure.Plans.PlanLimitFailures.From(exception) is { } limit => PlanLimitProblem(limit),
            InvalidOperationException framing when IsMalformedFraming(framing) => Problem(StatusCodes.Status400BadRequest, "Bad Request",
                "bad-request", "The request's framing is malformed (for example a control character in a chunked body's trailer)."),
            _ when DatabaseFailures.IsUnavailable(exception) => Unavailable(context, exception),
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "Internal Server Error", "internal", "An unexpected error occurred.");
        }
        if (context.Response.HasStarted)
            return false;
        // Whatever the route had written to its headers (an ETag, a Location) does not describe an error.
        context.Response.Clear();
        await Problems.Write(context, problem);
        return true;
    }

    /// <summary>Seconds a client should wait before retrying while the database is unavailable.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The database is down or not answering: 503 with Retry-After, so clients retry instead of giving up.</summary>
    private ProblemDetails Unavailable(HttpContext context, Exception exception)
    {
        logger.LogWarning(exception, "The database is unavailable for {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return Problem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "database-unavailable",
            $"The database is not available at the moment; retry in {RetryAfterSeconds} seconds.");
    }

    /// <summary>403 <c>plan-limit</c>: which limit, on which plan, and how much of it is in use.</summary>
    private static ProblemDetails PlanLimitProblem(PlanLimitExceededException limit)
    {
        var problem = Problem(StatusCodes.Status403Forbidden, "Plan limit reached", "plan-limit", limit.Message);
        problem.Extensions["limit"] = limit.Resource;
        problem.Extensions["plan"] = limit.Plan;
        problem.Extensions["maximum"] = limit.Limit;
        problem.Extensions["usage"] = limit.Used;
        return problem;
    }

    private static ProblemDetails ValidationProblem(ValidationException exception)
    {
        var errors = exception.Errors
            .GroupBy(e => CamelCasePath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Type = TypeBase + "validation",
            Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")),
        };
    }

    /// <summary>
    /// Kestrel parses a chunked body's trailer while the application reads the body, and refuses a NUL in it with an
    /// InvalidOperationException of its own rather than a BadHttpRequestException: the client's framing, not a bug.
    /// </summary>
    private static bool IsMalformedFraming(InvalidOperationException exception) =>
        exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) == true;

    /// <summary>Malformed JSON, wrong types, unknown fields and unbindable parameters: 400 naming the field.</summary>
    private static ProblemDetails BadRequestProblem(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", "unsupported-media-type", exception.Message);
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", "payload-too-large", "The request body is too large.");
        if (exception.InnerException is JsonException json)
        {
            var field = MissingField(json) ?? JsonPathToField(json.Path);
            var message = DescribeJsonError(json, field);
            var errors = new Dictionary<string, string[]> { [field.Length == 0 ? "body" : field] = [message] };
            return new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid JSON for this operation.",
                Type = TypeBase + "malformed-body",
                Detail = field.Length == 0 ? message : $"{field}: {message}",
            };
        }
        return Problem(exception.StatusCode, "Bad Request", "bad-request", exception.Message);
    }

    /// <summary>Says what is wrong in the caller's terms, without the serializer's .NET type names.</summary>
    private static string DescribeJsonError(JsonException json, string field) => json.Message switch
    {
        var m when m.Contains("could not be mapped", StringComparison.Ordinal) => $"'{field}' is not a field of this request.",
        var m when m.Contains(MissingRequired, StringComparison.Ordinal) => $"'{field}' is required (send null to clear it where that is allowed).",
        var m when m.Contains("control characters", StringComparison.Ordinal) => "The text contains control characters.",
        var m when m.Contains("could not be converted", StringComparison.Ordinal) =>
            "The value has the wrong type, or is not one of the allowed values.",
        _ => "The body is not well-formed JSON.",
    };

    private const string MissingRequired = "missing required properties including: ";

    /// <summary>The first field a body left out that the request requires (the serializer lists them quoted).</summary>
    private static string? MissingField(JsonException json)
    {
        var at = json.Message.IndexOf(MissingRequired, StringComparison.Ordinal);
        if (at < 0)
            return null;
        var names = json.Message[(at + MissingRequired.Length)..].Split('\'', StringSplitOptions.RemoveEmptyEntries);
        return names.Length > 0 ? names[0] : null;
    }

    private static ProblemDetails Problem(int status, string title, string code, string detail) =>
        new() { Status = status, Title = title, Type = TypeBase + code, Detail = detail };

    private static string JsonPathToField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : path.TrimStart('$', '.');

    private static string CamelCasePath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

    private static string Humanise(string resource) => resource.ToLowerInvariant();
}

public static class Problems
{
    public static Task Write(HttpContext context, int status, string title, string code, string detail) =>
        Write(context, new ProblemDetails { Status = status, Title = title, Detail = detail, Type = ProblemDetailsExceptionHandler.TypeBase + code });

    /// <summary>
    /// Writes <paramref name="problem"/> as <c>application/problem+json</c> whatever the request's Accept header says
    /// (text/plain, application/xml, text/html alike): an error of this API is always a problem document, never an
    /// HTML or plain-text page, and never a second error because no writer matched the Accept header.
    /// </summary>
    public static async Task Write(HttpContext context, ProblemDetails problem)
    {
        problem.Instance ??= context.Request.Path;
        problem.Extensions["traceId"] = context.TraceIdentifier;
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        context.Response.StatusCode = status;
        // As object: the runtime type is written (a validation problem keeps its errors).
        await TypedResults.Json<object>(problem, ProblemJson, ProblemContentType, status).ExecuteAsync(context);
    }

    public const string ProblemContentType = "application/problem+json";

    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);

    /// <summary>The body of a status the framework set without one (a route that does not exist, a method not allowed).</summary>
    public static Task WriteForStatus(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var title = ReasonPhrases.GetReasonPhrase(status);
        var code = title.ToLowerInvariant().Replace(' ', '-');
        return Write(context, status, title, code, $"{title}.");
    }
}
