#!/usr/bin/env bash
# A campaign's statistics at scale: in the dashboard benchmark's database (crm_dashboard, made by
# scripts/bench-dashboard.sh first: acme with 100,000 leads next to 100 small tenants), acme gets an active voice
# campaign of 100,000 targets (its leads) and 300,000 calls over 60 days, and each small tenant a campaign of 100
# targets and 300 calls. Prints wrk -t1 -c1 latencies of GET /api/campaigns/{id}/stats as the integration, then the
# plans PostgreSQL ran for the product's own statements (auto_explain, one request).
#   scripts/bench-campaign.sh
#   DURATION=20s scripts/bench-campaign.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-10s}"
BASE=http://127.0.0.1:5082
DB=crm_dashboard
dotnet build -c Release src/WebApi -v q -nologo >/dev/null
source scripts/bench-lib.sh
bench_cluster
PGLOG="$( (ls -d "$ROOT"/.data/pg-run.log /tmp/*/pg-run.log 2>/dev/null || true) | head -1)"
psql() { bench_psql "$@"; }
[[ -n "$(psql postgres -c "select 1 from pg_database where datname='$DB'")" ]] || { echo "run scripts/bench-dashboard.sh first"; exit 1; }

start_api() { bench_start_api "$DB" "$BASE" /tmp/crm-campaign-api.log; }
stop_api() { bench_stop_api; }

start_api
TA=$(psql "$DB" -c "select id from tenants where slug='acme'")
if [[ -z "$(psql "$DB" -c "select 1 from campaigns where tenant_id = '$TA' and name = 'Benchmark campaign'")" ]]; then
  echo "generating: acme a campaign of 100,000 targets and 300,000 calls; each small tenant 100 targets and 300 calls"
  psql "$DB" -c "create temp table sizes as select '$TA'::uuid as tenant_id, 100000 as targets
          union all select id, 100 from tenants where slug like 'small-%';
        insert into campaigns (id, tenant_id, name, channel, status, audience, shared, target_count, launched_at, created_at, version)
          select gen_random_uuid(), s.tenant_id, 'Benchmark campaign', 'Voice', 'Active', '{\"people\":\"Leads\"}', false, s.targets,
                 now() - interval '60 days', now() - interval '61 days', 1
          from sizes s;
        insert into campaign_targets (id, tenant_id, campaign_id, lead_id, name, phone, state, attempts, created_at, version)
          select gen_random_uuid(), l.tenant_id, c.id, l.id, l.first_name || ' ' || l.last_name, '+1 555 0100',
                 (array['Pending','Attempted','Reached','Completed'])[1 + (row_number() over (partition by l.tenant_id order by l.id)) % 4], 3, now(), 1
          from sizes s
          join campaigns c on c.tenant_id = s.tenant_id and c.name = 'Benchmark campaign'
          cross join lateral (select * from leads where tenant_id = s.tenant_id order by id limit s.targets) l;
        insert into calls (id, tenant_id, campaign_id, target_id, lead_id, direction, status, scheduled_at, started_at, ended_at, duration_seconds,
                           outcome, shared, created_at, version)
          select gen_random_uuid(), t.tenant_id, t.campaign_id, t.id, t.lead_id, 'Outbound', x.status,
                 x.at, case when x.status = 'Completed' then x.at end, x.at + interval '3 minutes',
                 case when x.status = 'Completed' then 30 + (g * 7) % 600 end,
                 case when x.status = 'Completed' then (array['Interested','NotInterested','CallbackRequested','WrongNumber','Voicemail','Converted'])[1 + g % 6] end,
                 false, now(), 1
          from campaign_targets t cross join generate_series(1, 3) g
          cross join lateral (select (array['Completed','NoAnswer','Busy','Completed'])[1 + (g + length(t.name)) % 4] as status,
                                     now() - random() * interval '60 days' as at) x;" \
    -c "vacuum analyze campaign_targets" -c "vacuum analyze calls"
fi
# The generated rows' deltas are folded by the API's own job (every 10 s) before anything is measured.
for _ in $(seq 1 120); do
  [[ "$(psql "$DB" -c "select (select count(*) from campaign_target_tallies where not folded) + (select count(*) from call_tallies where not folded)")" == 0 ]] && break
  sleep 2
done
psql "$DB" -c "vacuum analyze campaign_target_tallies" -c "vacuum analyze call_tallies"
CAMPAIGN=$(psql "$DB" -c "select id from campaigns where tenant_id = '$TA' and name = 'Benchmark campaign'")
echo "acme's campaign: $(psql "$DB" -c "select count(*) from campaign_targets where campaign_id = '$CAMPAIGN'") targets, $(psql "$DB" -c "select count(*) from calls where campaign_id = '$CAMPAIGN'") calls; campaigns: $(psql "$DB" -c "select count(*) from campaigns"); tally rows: $(psql "$DB" -c "select count(*) from campaign_target_tallies") target, $(psql "$DB" -c "select count(*) from call_tallies") call"
TOKEN=$(bench_token $BASE)
echo "wrk.headers[\"Authorization\"] = \"Bearer $TOKEN\"" > /tmp/crm-campaign.lua
URL="/api/campaigns/$CAMPAIGN/stats"
wrk -t1 -c1 -d3s -s /tmp/crm-campaign.lua "$BASE$URL" >/dev/null
result=$(wrk -t1 -c1 -d"$DURATION" --latency -s /tmp/crm-campaign.lua "$BASE$URL")
echo "$URL  $(awk '/Requests\/sec/ {print $2}' <<<"$result") req/s  p50 $(awk '$1=="50%" {print $2}' <<<"$result")  p99 $(awk '$1=="99%" {print $2}' <<<"$result")"
stop_api

psql "$DB" -c "alter database $DB set session_preload_libraries = 'auto_explain'" -c "alter database $DB set auto_explain.log_min_duration = 0" \
  -c "alter database $DB set auto_explain.log_analyze = on" -c "alter database $DB set auto_explain.log_buffers = on"
MARK=$(wc -l < "$PGLOG")
start_api
TOKEN=$(bench_token $BASE)
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE$URL"
stop_api
psql "$DB" -c "alter database $DB reset all"
tail -n +"$MARK" "$PGLOG" | awk '/duration: .* plan:/ { if (block ~ /_tallies/) print block; block = "" } { block = block $0 "\n" }
                                 END { if (block ~ /_tallies/) print block }'
