using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmTenancy.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The campaigns' tallies (docs/decisions/0025): a campaign's targets by state, and the calls by campaign, UTC day
    /// (of the start, or of the schedule for a call never answered), status and outcome, with their durations. The
    /// dashboard's first three tallies get the sum comment every tally now carries, so the fold finds them all alike.
    /// </summary>
    public partial class CampaignTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                COMMENT ON COLUMN customer_tallies.customers IS '{TallyMigrations.SumComment}';
                COMMENT ON COLUMN customer_tallies.revenue_cents IS '{TallyMigrations.SumComment}';
                COMMENT ON COLUMN lead_tallies.leads IS '{TallyMigrations.SumComment}';
                COMMENT ON COLUMN activity_tallies.activities IS '{TallyMigrations.SumComment}';
                """);
            migrationBuilder.CreateTally("campaign_target_tallies", "campaign_targets",
                [new("campaign_id", "uuid", "campaign_id"), new("state", "text", "state")],
                [new("targets", "integer", "1"), new("attempts", "bigint", "attempts")]);
            migrationBuilder.CreateTally("call_tallies", "calls",
                [
                    new("campaign_id", "uuid", "campaign_id"),
                    new("called_on", "date", "(coalesce(started_at, scheduled_at) AT TIME ZONE 'UTC')::date"),
                    new("status", "text", "status"),
                    new("outcome", "text", "outcome"),
                ],
                [
                    new("calls", "integer", "1"),
                    new("timed", "integer", "(duration_seconds IS NOT NULL)::int"),
                    new("duration_seconds", "bigint", "coalesce(duration_seconds, 0)"),
                ]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTally("call_tallies", "calls");
            migrationBuilder.DropTally("campaign_target_tallies", "campaign_targets");
        }
    }
}
