using System.Data;
using System.Data.Common;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Analytics;
using CrmTenancy.Application.Customers.GetCustomerStats;
using CrmTenancy.Domain.Calls;
using CrmTenancy.Domain.Campaigns;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CrmTenancy.Infrastructure.Analytics;

/// <summary>
/// The dashboard in one round trip: seven aggregate statements in one batch on the request's own connection (its
/// <c>set_config</c> and row-level security apply as to every read), in one read-only snapshot, each bound to the tenant
/// by parameter. The whole tenant's dashboard reads the tallies the database keeps (docs/decisions/0025); an owner-only
/// member's counts the rows they may see. (Two batches at once on two connections were measured slower on this 2-core
/// machine, and would hold two pooled connections a request.) docs/performance.md has the plans.
/// </summary>
public sealed class AnalyticsReadStore(CrmDbContext db, ITenantContext tenant) : IAnalyticsReadStore
{
    public async Task<DashboardDto> ReadDashboardAsync(DateTimeOffset from, DateTimeOffset to, Guid? companyId, CancellationToken cancellationToken)
    {
        var owner = tenant.OwnerScope;
        // $1 the tenant, then the member (owner-only), then the company, then the range: each criterion is in the text
        // only when it applies, not made "always true", so each shape keeps one plan.
        var next = 2;
        var visible = owner is null ? "" : $" AND (owner_id = ${next} OR assignee_id = ${next++} OR shared)";
        var ofCompany = companyId is null ? "" : $" AND company_id = ${next++}";
        var (fromParameter, toParameter) = ($"${next}", $"${next + 1}");
        var range = (string column) => $" AND {column} >= {fromParameter} AND {column} < {toParameter}";

        return await ReadSnapshotAsync(batch =>
        {
            if (owner is null)
                AddFromTallies(batch, companyId, ofCompany, from, to);
            else
                AddFromRows(batch, owner, companyId, visible, ofCompany, range, from, to, next);
        }, async reader =>
        {
            var customers = await ReadCustomersAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            var top = new List<CustomerRevenue>();
            while (await reader.ReadAsync(cancellationToken))
                top.Add(new CustomerRevenue(reader.GetGuid(0), reader.GetString(1), reader.GetDecimal(2)));
            await reader.NextResultAsync(cancellationToken);
            var leads = new Dictionary<LeadStatus, int>();
            while (await reader.ReadAsync(cancellationToken))
                leads[Enum.Parse<LeadStatus>(reader.GetString(0))] = reader.GetInt32(1);
            await reader.NextResultAsync(cancellationToken);
            var weeks = new Dictionary<DateOnly, int>();
            int captured = 0, nurturing = 0, engaged = 0, converted = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                weeks[DateOnly.FromDateTime(reader.GetDateTime(0))] = reader.GetInt32(1);
                captured += reader.GetInt32(1);
                nurturing += reader.GetInt32(2);
                engaged += reader.GetInt32(3);
                converted += reader.GetInt32(4);
            }
            await reader.NextResultAsync(cancellationToken);
            var days = new Dictionary<DateOnly, int>();
            while (await reader.ReadAsync(cancellationToken))
                days[reader.GetFieldValue<DateOnly>(0)] = reader.GetInt32(1);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var calls = new CallSummary(reader.GetInt32(0), reader.GetInt32(1));
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var activeCampaigns = reader.GetInt32(0);

            return new DashboardDto(from, to, customers.Stats, new RevenueSummary(customers.Revenue, top),
                new LeadSummary(leads.Values.Sum(), [.. Enum.GetValues<LeadStatus>().Select(s => new LeadStatusCount(s, leads.GetValueOrDefault(s)))]),
                Funnel(captured, nurturing, engaged, converted),
                [.. Weeks(from, to).Select(w => new WeekCount(w, weeks.GetValueOrDefault(w)))],
                [.. Days(from, to).Select(d => new DayCount(d, days.GetValueOrDefault(d)))],
                calls, activeCampaigns);
        }, cancellationToken);
    }

    public async Task<CampaignStatsDto> ReadCampaignStatsAsync(Guid campaignId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        // $1 the tenant, $2 the campaign: three sums over the campaign's tallies. (A parameter belongs to one command:
        // each gets its own.)
        NpgsqlParameter Campaign() => new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = campaignId };
        return await ReadSnapshotAsync(batch =>
        {
            AddTyped(batch, "SELECT state, sum(targets)::int, sum(attempts)::bigint FROM campaign_target_tallies WHERE tenant_id = $1 AND campaign_id = $2 GROUP BY state", Campaign());
            AddTyped(batch, "SELECT status, outcome, sum(calls)::int, sum(timed)::int, sum(duration_seconds)::bigint FROM call_tallies WHERE tenant_id = $1 AND campaign_id = $2 GROUP BY status, outcome", Campaign());
            AddTyped(batch, "SELECT called_on, sum(calls)::int FROM call_tallies WHERE tenant_id = $1 AND campaign_id = $2 AND called_on >= $3 AND called_on <= $4 GROUP BY 1 ORDER BY 1",
                Campaign(), new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Date, Value = firstDay }, new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Date, Value = lastDay });
        }, async reader =>
        {
            var states = new Dictionary<CampaignTargetState, int>();
            long attempts = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                states[Enum.Parse<CampaignTargetState>(reader.GetString(0))] = reader.GetInt32(1);
                attempts += reader.GetInt64(2);
            }
            await reader.NextResultAsync(cancellationToken);
            var outcomes = new Dictionary<CallOutcome, int>();
            int calls = 0, timed = 0;
            long seconds = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                calls += reader.GetInt32(2);
                if (reader.GetString(0) != nameof(CallStatus.Completed))
                    continue;
                if (!reader.IsDBNull(1))
                {
                    var outcome = Enum.Parse<CallOutcome>(reader.GetString(1));
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + reader.GetInt32(2);
                }
                timed += reader.GetInt32(3);
                seconds += reader.GetInt64(4);
            }
            await reader.NextResultAsync(cancellationToken);
            var perDay = new Dictionary<DateOnly, int>();
            while (await reader.ReadAsync(cancellationToken))
                perDay[reader.GetFieldValue<DateOnly>(0)] = reader.GetInt32(1);

            var targets = states.Values.Sum();
            var completed = states.GetValueOrDefault(CampaignTargetState.Completed);
            var reached = completed + states.GetValueOrDefault(CampaignTargetState.Reached);
            var attempted = reached + states.GetValueOrDefault(CampaignTargetState.Attempted);
            var conversions = outcomes.GetValueOrDefault(CallOutcome.Converted);
            var days = new List<DayCount>();
            for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
                days.Add(new DayCount(day, perDay.GetValueOrDefault(day)));
            return new CampaignStatsDto(campaignId, targets, attempted, reached, completed, attempts, calls,
                [.. Enum.GetValues<CallOutcome>().Select(o => new OutcomeCount(o, outcomes.GetValueOrDefault(o)))],
                conversions, targets == 0 ? null : Math.Round((double)conversions / targets, 4),
                timed == 0 ? null : Math.Round((double)seconds / timed, 1), days);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs the statements <paramref name="add"/> puts in one batch on the request's own connection and reads their
    /// results with <paramref name="read"/>: one snapshot (repeatable read), read only, and no parallel workers (on a
    /// machine this size a parallel sequential scan was chosen over the index-only scans and took twice as long), unless
    /// the caller's transaction is already open. BEGIN rides on the batch; COMMIT is one more round trip.
    /// </summary>
    private async Task<T> ReadSnapshotAsync<T>(Action<NpgsqlBatch> add, Func<NpgsqlDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var outer = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
            await using var own = outer is null ? await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken) : null;
            await using var batch = new NpgsqlBatch(connection) { Transaction = outer ?? own };
            if (own is not null)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SET TRANSACTION READ ONLY"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL max_parallel_workers_per_gather = 0"));
            }
            add(batch);
            T result;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
                result = await read(reader);
            if (own is not null)
                await own.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>$1 the tenant, then <paramref name="parameters"/>.</summary>
    private void AddTyped(NpgsqlBatch batch, string sql, params NpgsqlParameter[] parameters)
    {
        var command = Command(sql, null, null);
        command.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(command);
    }

    /// <summary>
    /// The whole tenant's dashboard (no owner-only member) from the tallies (docs/decisions/0025): counts kept per
    /// company, status, source and UTC day by the database's triggers and folded by <see cref="DashboardTallyService"/>,
    /// so each statement sums a few hundred rows instead of scanning 100,000 index entries. The range's whole UTC days
    /// come from the tallies; its partial first and last day, if any, from the leads' capture index.
    /// </summary>
    private void AddFromTallies(NpgsqlBatch batch, Guid? companyId, string ofCompany, DateTimeOffset from, DateTimeOffset to)
    {
        var at = companyId is null ? 2 : 3;
        Add(batch, $"SELECT status, source, sum(customers)::int, sum(revenue_cents) FROM customer_tallies WHERE tenant_id = $1{ofCompany} GROUP BY status, source HAVING sum(customers) <> 0", null, companyId);
        Add(batch, $"SELECT id, name, total_revenue FROM customers WHERE tenant_id = $1{ofCompany} AND total_revenue > 0 ORDER BY total_revenue DESC, id LIMIT 10", null, companyId);
        Add(batch, $"SELECT status, sum(leads)::int FROM lead_tallies WHERE tenant_id = $1{ofCompany} GROUP BY status HAVING sum(leads) <> 0", null, companyId);
        var (wholeFrom, wholeTo, edges) = WholeDays(from, to);
        Add(batch, $"""
            SELECT date_trunc('week', day::timestamp), sum(n)::int,
                   coalesce(sum(n) FILTER (WHERE stage >= {(short)LeadStatus.Nurturing}), 0)::int,
                   coalesce(sum(n) FILTER (WHERE stage >= {(short)LeadStatus.Engaged}), 0)::int,
                   coalesce(sum(n) FILTER (WHERE stage >= {(short)LeadStatus.Converted}), 0)::int
            FROM (SELECT captured_on AS day, furthest_stage AS stage, leads AS n FROM lead_tallies
                  WHERE tenant_id = $1{ofCompany} AND captured_on >= ${at} AND captured_on < ${at + 1}
                  UNION ALL
                  SELECT (captured_at AT TIME ZONE 'UTC')::date, furthest_stage, 1 FROM leads
                  WHERE tenant_id = $1{ofCompany} AND (captured_at >= ${at + 2} AND captured_at < ${at + 3} OR captured_at >= ${at + 4} AND captured_at < ${at + 5})) d
            GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1
            """, null, companyId, wholeFrom, wholeTo, edges.FirstFrom, edges.FirstTo, edges.LastFrom, edges.LastTo);
        // The whole timeline's (activities have no company), so its parameters are numbered without the company's.
        Add(batch, "SELECT occurred_on, sum(activities)::int FROM activity_tallies WHERE tenant_id = $1 AND occurred_on >= $2 AND occurred_on <= $3 GROUP BY 1 ORDER BY 1",
            null, null, FirstDay(from), LastDay(to));
        Add(batch, $"SELECT coalesce(sum(calls), 0)::int, coalesce(sum(calls) FILTER (WHERE status = '{nameof(CallStatus.Completed)}'), 0)::int FROM call_tallies " +
                   "WHERE tenant_id = $1 AND called_on >= $2 AND called_on <= $3", null, null, FirstDay(from), LastDay(to));
        Add(batch, $"SELECT count(*)::int FROM campaigns WHERE tenant_id = $1 AND status = '{nameof(CampaignStatus.Active)}'", null, null);
    }

    /// <summary>
    /// An owner-only member's dashboard: the records they own, are assigned or that are shared, counted from the rows
    /// (the tallies hold no owner). Every statement is served by an index (docs/performance.md has the plans).
    /// </summary>
    private void AddFromRows(NpgsqlBatch batch, Guid? owner, Guid? companyId, string visible, string ofCompany, Func<string, string> range,
        DateTimeOffset from, DateTimeOffset to, int next)
    {
        // Revenue is summed in cents (the generated bigint column revenue_cents, in the covering index).
        Add(batch, $"SELECT status, source, count(*)::int, coalesce(sum(revenue_cents), 0) FROM customers WHERE tenant_id = $1{visible}{ofCompany} GROUP BY status, source", owner, companyId);
        Add(batch, $"SELECT id, name, total_revenue FROM customers WHERE tenant_id = $1{visible}{ofCompany} AND total_revenue > 0 ORDER BY total_revenue DESC, id LIMIT 10", owner, companyId);
        Add(batch, $"SELECT status, count(*)::int FROM leads WHERE tenant_id = $1{visible}{ofCompany} GROUP BY status", owner, companyId);
        Add(batch, $"""
            SELECT date_trunc('week', captured_at, 'UTC'), count(*)::int,
                   count(*) FILTER (WHERE furthest_stage >= {(short)LeadStatus.Nurturing})::int,
                   count(*) FILTER (WHERE furthest_stage >= {(short)LeadStatus.Engaged})::int,
                   count(*) FILTER (WHERE furthest_stage >= {(short)LeadStatus.Converted})::int
            FROM leads WHERE tenant_id = $1{visible}{ofCompany}{range("captured_at")} GROUP BY 1 ORDER BY 1
            """, owner, companyId, from.UtcDateTime, to.UtcDateTime);
        // Whole UTC days, from from's day to the day of to's last instant: occurred_on is the generated UTC day.
        // The whole timeline's (activities have no company), so its parameters are numbered without the company's.
        var (firstDay, lastDay) = companyId is null ? ($"${next}", $"${next + 1}") : ($"${next - 1}", $"${next}");
        Add(batch, $"SELECT occurred_on, count(*)::int FROM activities WHERE tenant_id = $1{visible} AND occurred_on >= {firstDay} AND occurred_on <= {lastDay} GROUP BY 1 ORDER BY 1",
            owner, null, FirstDay(from), LastDay(to));
        // Calls and campaigns have no company: numbered like the activities. A call's owner is its assignee and a call is
        // never shared, so a member's calls are those they own: the (tenant_id, owner_id) index finds them.
        Add(batch, $"SELECT count(*)::int, (count(*) FILTER (WHERE status = '{nameof(CallStatus.Completed)}'))::int FROM calls WHERE tenant_id = $1 AND owner_id = $2 " +
                   $"AND (coalesce(started_at, scheduled_at) AT TIME ZONE 'UTC')::date >= {firstDay} AND (coalesce(started_at, scheduled_at) AT TIME ZONE 'UTC')::date <= {lastDay}",
            owner, null, FirstDay(from), LastDay(to));
        Add(batch, $"SELECT count(*)::int FROM campaigns WHERE tenant_id = $1{visible} AND status = '{nameof(CampaignStatus.Active)}'", owner, null);
    }

    /// <summary>
    /// The range's whole UTC days [first, last) and the instants before and after them that it also covers (an empty
    /// range where there are none); a range inside one day has no whole day and is all edge.
    /// </summary>
    private static (DateOnly First, DateOnly Last, (DateTime FirstFrom, DateTime FirstTo, DateTime LastFrom, DateTime LastTo) Edges) WholeDays(
        DateTimeOffset from, DateTimeOffset to)
    {
        var (start, end) = (from.UtcDateTime, to.UtcDateTime);
        var wholeStart = start == start.Date ? start : start.Date.AddDays(1);
        var wholeEnd = end.Date;
        if (wholeStart >= wholeEnd)
            return (DateOnly.FromDateTime(wholeStart), DateOnly.FromDateTime(wholeStart), (start, end, end, end));
        return (DateOnly.FromDateTime(wholeStart), DateOnly.FromDateTime(wholeEnd), (start, wholeStart, wholeEnd, end));
    }

    /// <summary>$1 the tenant, then the member and the company when given, then <paramref name="values"/>, in that order.</summary>
    private void Add(NpgsqlBatch batch, string sql, Guid? owner, Guid? company, params object[] values)
    {
        var command = Command(sql, owner, company);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                DateOnly day => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Date, Value = day },
                DateTime instant => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = instant },
                _ => throw new ArgumentException($"No parameter type for {value.GetType().Name}", nameof(values)),
            });
        }
        batch.BatchCommands.Add(command);
    }

    /// <summary>$1 the tenant, then the member and the company when given, in that order (the statement's text numbers them so).</summary>
    private NpgsqlBatchCommand Command(string sql, Guid? owner, Guid? company)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = tenant.TenantId });
        if (owner is { } member)
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = member });
        if (company is { } unit)
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = unit });
        return command;
    }

    private static DateOnly FirstDay(DateTimeOffset from) => DateOnly.FromDateTime(from.UtcDateTime);

    private static DateOnly LastDay(DateTimeOffset to) => DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1));

    private static async Task<(CustomerStats Stats, decimal Revenue)> ReadCustomersAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var byStatus = new Dictionary<CustomerStatus, int>();
        var bySource = new Dictionary<CustomerSource, int>();
        var revenue = 0m;
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = Enum.Parse<CustomerStatus>(reader.GetString(0));
            var source = Enum.Parse<CustomerSource>(reader.GetString(1));
            var count = reader.GetInt32(2);
            byStatus[status] = byStatus.GetValueOrDefault(status) + count;
            bySource[source] = bySource.GetValueOrDefault(source) + count;
            revenue += reader.GetDecimal(3) / 100m;
        }
        return (CustomerStats.Of(byStatus, bySource), revenue);
    }

    private static LeadFunnel Funnel(int captured, int nurturing, int engaged, int converted)
    {
        static double? Rate(int count, int of) => of == 0 ? null : Math.Round((double)count / of, 4);
        return new LeadFunnel([
            new FunnelStage("captured", captured, null, null),
            new FunnelStage("nurturing", nurturing, Rate(nurturing, captured), Rate(nurturing, captured)),
            new FunnelStage("engaged", engaged, Rate(engaged, nurturing), Rate(engaged, captured)),
            new FunnelStage("converted", converted, Rate(converted, engaged), Rate(converted, captured)),
        ]);
    }

    /// <summary>The Mondays (UTC) of the weeks the range touches.</summary>
    private static IEnumerable<DateOnly> Weeks(DateTimeOffset from, DateTimeOffset to)
    {
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        first = first.AddDays(-(((int)first.DayOfWeek + 6) % 7));
        var last = DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1));
        for (var week = first; week <= last; week = week.AddDays(7))
            yield return week;
    }

    /// <summary>The days (UTC) the range touches.</summary>
    private static IEnumerable<DateOnly> Days(DateTimeOffset from, DateTimeOffset to)
    {
        for (var day = FirstDay(from); day <= LastDay(to); day = day.AddDays(1))
            yield return day;
    }
}
