using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using FluentValidation;
using MediatR;

namespace CrmTenancy.Application.Analytics.GetDashboard;

/// <summary>
/// The dashboard for the caller's tenant (a member under owner-only visibility: the records they may see). The range
/// (from inclusive, to exclusive) covers the funnel, the leads captured per week and the activities per day; it defaults
/// to the 30 days before now and spans at most <see cref="MaxRangeDays"/> days. With a company, the customers and leads
/// are that company's (the activities per day stay the caller's whole timeline).
/// </summary>
public sealed record GetDashboard(DateTimeOffset? From = null, DateTimeOffset? To = null, Guid? CompanyId = null) : IQuery<DashboardDto>
{
    public const int DefaultRangeDays = 30;
    public const int MaxRangeDays = 366;
}

public sealed class GetDashboardValidator : AbstractValidator<GetDashboard>
{
    /// <summary>Dates a dashboard can be asked about; anything else is a 400 (and far from the calendar's edges).</summary>
    private static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero), Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public GetDashboardValidator()
    {
        RuleFor(x => x.From).InclusiveBetween(Earliest, Latest).When(x => x.From is not null)
            .WithMessage("'from' must be between 1900 and 9000.");
        RuleFor(x => x.To).InclusiveBetween(Earliest, Latest).When(x => x.To is not null)
            .WithMessage("'to' must be between 1900 and 9000.");
        RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x.From is not null && x.To is not null)
            .WithMessage("'to' must be after 'from'.");
        RuleFor(x => x).Must(x => x.From is null || x.To is null || (x.To.Value - x.From.Value).TotalDays <= GetDashboard.MaxRangeDays)
            .WithMessage($"The range spans at most {GetDashboard.MaxRangeDays} days.").OverridePropertyName("to");
    }
}

public sealed class GetDashboardHandler(IAnalyticsReadStore analytics, TimeProvider clock) : IRequestHandler<GetDashboard, DashboardDto>
{
    public Task<DashboardDto> Handle(GetDashboard request, CancellationToken cancellationToken)
    {
        var to = request.To ?? (request.From is { } start ? Min(start.AddDays(GetDashboard.DefaultRangeDays), clock.GetUtcNow()) : clock.GetUtcNow());
        var from = request.From ?? to.AddDays(-GetDashboard.DefaultRangeDays);
        if (to <= from)
            to = from.AddDays(GetDashboard.DefaultRangeDays);
        return analytics.ReadDashboardAsync(from, to, request.CompanyId, cancellationToken);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
