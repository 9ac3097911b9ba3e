using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Analytics;
using CrmTenancy.Application.Analytics.GetDashboard;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Analytics;

/// <summary>The dashboard's range: the last 30 days by default, 30 days from a lone <c>from</c> (never past now), 30 days before a lone <c>to</c>.</summary>
public sealed class GetDashboardHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(DateTimeOffset From, DateTimeOffset To)> RangeAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        var analytics = Substitute.For<IAnalyticsReadStore>();
        (DateTimeOffset, DateTimeOffset) asked = default;
        analytics.ReadDashboardAsync(Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<Guid?>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                asked = (call.ArgAt<DateTimeOffset>(0), call.ArgAt<DateTimeOffset>(1));
                return (DashboardDto)null!;
            });
        await new GetDashboardHandler(analytics, new FixedClock(Now)).Handle(new GetDashboard(from, to), CancellationToken.None);
        return asked;
    }

    [Fact]
    public async Task Without_a_range_it_is_the_30_days_before_now() =>
        Assert.Equal((Now.AddDays(-30), Now), await RangeAsync(null, null));

    [Fact]
    public async Task A_lone_from_runs_30_days_but_not_past_now_and_a_future_one_still_spans_30_days()
    {
        Assert.Equal((Now.AddDays(-60), Now.AddDays(-30)), await RangeAsync(Now.AddDays(-60), null));
        Assert.Equal((Now.AddDays(-10), Now), await RangeAsync(Now.AddDays(-10), null));
        Assert.Equal((Now.AddDays(5), Now.AddDays(35)), await RangeAsync(Now.AddDays(5), null));
    }

    [Fact]
    public async Task A_lone_to_looks_30_days_back_and_a_full_range_is_taken_as_given()
    {
        Assert.Equal((Now.AddDays(-40), Now.AddDays(-10)), await RangeAsync(null, Now.AddDays(-10)));
        Assert.Equal((Now.AddDays(-3), Now.AddDays(-1)), await RangeAsync(Now.AddDays(-3), Now.AddDays(-1)));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
