#!/usr/bin/env bash
# The tenant dashboard at scale: in a database of the run cluster of its own (crm_dashboard), migrated and seeded by the
# current Release build, the demo tenant acme gets 100,000 customers, 100,000 leads and 1,000,000 activities spread over
# the last year, next to 100 small tenants (100 customers, 100 leads, 1,000 activities each). Prints wrk -t1 -c1
# latencies of GET /api/analytics/dashboard for the default range (30 days) and for a whole year, as the integration
# (every record), then the plans PostgreSQL ran for the product's own statements (auto_explain, one request), then
# the database time of the owner-only statements (a member owning every tenth record; EXPLAIN ANALYZE as crm_app with
# the member's id written in, not the product's parameterised plan: a member's token needs the browser sign-in).
#   scripts/bench-dashboard.sh
#   DURATION=20s scripts/bench-dashboard.sh
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
[[ -n "$(psql postgres -c "select 1 from pg_database where datname='$DB'")" ]] || psql postgres -c "create database $DB"

start_api() { bench_start_api "$DB" "$BASE" /tmp/crm-dashboard-api.log; }
stop_api() { bench_stop_api; }

start_api
TA=$(psql "$DB" -c "select id from tenants where slug='acme'")
MEMBER=$(psql "$DB" -c "select id from users where tenant_id = '$TA' order by created_at limit 1")
if [[ "$(psql "$DB" -c "select count(*) from activities where tenant_id = '$TA'")" -lt 1000000 ]]; then
  echo "generating: acme 100,000 customers, 100,000 leads, 1,000,000 activities; 100 small tenants"
  # Owners: every tenth record belongs to the demo user (the member of the owner-only run), the rest to no one.
  psql "$DB" -c "insert into tenants (id, name, slug, status, created_at, version, record_visibility, outbox_sequence, passwordless_sign_in, tag_prefix, plan_code)
          select gen_random_uuid(), 'Small '||g, 'small-'||g, 'Active', now(), 1, 'Shared', 0, false, 'ct-'||substr(md5(random()::text), 1, 8)||'-', 'enterprise' from generate_series(1, 100) g" \
    -c "create temp table sizes as select '$TA'::uuid as tenant_id, 100000 as records, 1000000 as activities
          union all select id, 100, 1000 from tenants where slug like 'small-%';
        insert into customers (id, tenant_id, name, email, company_name, status, source, tags, total_revenue, owner_id, assignee_id, created_at, version)
          select gen_random_uuid(), s.tenant_id, 'Customer '||g, 'c'||g||'@example.com', 'Company '||(g%500),
                 (array['Active','Active','Active','Inactive','Churned'])[1 + g%5], (array['Web','Referral','Campaign','Direct','Other'])[1 + g%5],
                 array['bulk'], round((random() * 100000)::numeric, 2),
                 case when g%10 = 0 and s.tenant_id = '$TA' then '$MEMBER'::uuid end, case when g%10 = 0 and s.tenant_id = '$TA' then '$MEMBER'::uuid end,
                 now() - random() * interval '365 days', 1
          from sizes s, generate_series(1, s.records) g;
        insert into leads (id, tenant_id, first_name, last_name, email, normalized_email, source, tags, status, furthest_stage, captured_at,
                           search_text, owner_id, assignee_id, created_at, version)
          select gen_random_uuid(), s.tenant_id, 'Lead', 'Number '||g, 'l'||g||'@example.com', 'L'||g||'@EXAMPLE.COM',
                 (array['WebForm','Referral','Campaign','Import','Manual'])[1 + g%5], '{}',
                 (array['New','Nurturing','Engaged','Qualified','Converted','Lost'])[1 + g%6], case when g%6 = 5 then g%4 else g%6 end,
                 now() - random() * interval '365 days', 'lead number '||g,
                 case when g%10 = 0 and s.tenant_id = '$TA' then '$MEMBER'::uuid end, case when g%10 = 0 and s.tenant_id = '$TA' then '$MEMBER'::uuid end,
                 now(), 1
          from sizes s, generate_series(1, s.records) g;
        insert into activities (id, tenant_id, occurred_at, actor, record_type, record_id, action, summary, fields, owner_id, assignee_id)
          select gen_random_uuid(), s.tenant_id, now() - random() * interval '365 days', 'job', 'customer', gen_random_uuid(), 'updated',
                 'Customer updated: name', array['name'],
                 case when g%10 = 0 and s.tenant_id = '$TA' then '$MEMBER'::uuid end, case when g%10 = 0 and s.tenant_id = '$TA' then '$MEMBER'::uuid end
          from sizes s, generate_series(1, s.activities) g;" \
    -c "vacuum analyze customers" -c "vacuum analyze leads" -c "vacuum analyze activities"
fi
# After the migrations (a new generated column rewrites a table) the visibility map and statistics are what
# autovacuum would leave in time: index-only scans need both.
psql "$DB" -c "vacuum analyze customers" -c "vacuum analyze leads" -c "vacuum analyze activities"
# The whole tenant's dashboard reads the tallies (ADR 0025): the generated rows' deltas are folded by the API's own job
# (every 10 s) before anything is measured.
for _ in $(seq 1 120); do
  [[ "$(psql "$DB" -c "select (select count(*) from customer_tallies where not folded) + (select count(*) from lead_tallies where not folded) + (select count(*) from activity_tallies where not folded)")" == 0 ]] && break
  sleep 2
done
psql "$DB" -c "vacuum analyze customer_tallies" -c "vacuum analyze lead_tallies" -c "vacuum analyze activity_tallies"
echo "tallies: $(psql "$DB" -c "select count(*) from customer_tallies") customer rows, $(psql "$DB" -c "select count(*) from lead_tallies") lead rows, $(psql "$DB" -c "select count(*) from activity_tallies") activity rows"
TOKEN=$(bench_token $BASE)
echo "wrk.headers[\"Authorization\"] = \"Bearer $TOKEN\"" > /tmp/crm-dashboard.lua
echo "acme: $(psql "$DB" -c "select count(*) from customers where tenant_id = '$TA'") customers, $(psql "$DB" -c "select count(*) from leads where tenant_id = '$TA'") leads, $(psql "$DB" -c "select count(*) from activities where tenant_id = '$TA'") activities; tenants: $(psql "$DB" -c "select count(*) from tenants")"
YEAR_FROM=$(date -u -d '-365 days' +%Y-%m-%dT00:00:00Z)
YEAR_TO=$(date -u -d '+1 day' +%Y-%m-%dT00:00:00Z)
URLS=("/api/analytics/dashboard" "/api/analytics/dashboard?from=$YEAR_FROM&to=$YEAR_TO")
for url in "${URLS[@]}"; do
  wrk -t1 -c1 -d3s -s /tmp/crm-dashboard.lua "$BASE$url" >/dev/null
  result=$(wrk -t1 -c1 -d"$DURATION" --latency -s /tmp/crm-dashboard.lua "$BASE$url")
  echo "$url  $(awk '/Requests\/sec/ {print $2}' <<<"$result") req/s  p50 $(awk '$1=="50%" {print $2}' <<<"$result")  p99 $(awk '$1=="99%" {print $2}' <<<"$result")"
done
stop_api

# The plans of the product's own statements: auto_explain in the database's new sessions, one request per URL.
psql "$DB" -c "alter database $DB set session_preload_libraries = 'auto_explain'" -c "alter database $DB set auto_explain.log_min_duration = 0" \
  -c "alter database $DB set auto_explain.log_analyze = on" -c "alter database $DB set auto_explain.log_buffers = on"
MARK=$(wc -l < "$PGLOG")
start_api
TOKEN=$(bench_token $BASE)
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE${URLS[0]}"
stop_api
psql "$DB" -c "alter database $DB reset all"
tail -n +"$MARK" "$PGLOG" | awk '/duration: .* plan:/ { if (block ~ /GROUP BY|LIMIT 10/) print block; block = "" } { block = block $0 "\n" }
                                 END { if (block ~ /GROUP BY|LIMIT 10/) print block }'

# Owner-only: the same statements with a member's criterion, timed in the database (EXPLAIN ANALYZE), as crm_app and
# without parallel workers, as the product runs them.
echo "owner-only (a member owning or assigned every tenth record), statement times:"
for sql in \
  "SELECT status, source, count(*)::int, coalesce(sum(revenue_cents), 0) FROM customers WHERE tenant_id = '$TA' AND (owner_id = '$MEMBER' OR assignee_id = '$MEMBER' OR shared) GROUP BY status, source" \
  "SELECT status, count(*)::int FROM leads WHERE tenant_id = '$TA' AND (owner_id = '$MEMBER' OR assignee_id = '$MEMBER' OR shared) GROUP BY status" \
  "SELECT occurred_on, count(*)::int FROM activities WHERE tenant_id = '$TA' AND (owner_id = '$MEMBER' OR assignee_id = '$MEMBER' OR shared) AND occurred_on >= current_date - 30 AND occurred_on <= current_date GROUP BY 1 ORDER BY 1"; do
  psql "$DB" -c "set role crm_app" -c "select set_config('app.tenant_id', '$TA', false)" -c "set max_parallel_workers_per_gather = 0" -c "explain (analyze, costs off, timing off, summary on) $sql" | grep -E "Execution Time" | sed "s|^|  ${sql:0:60}...  |"
done
