#!/usr/bin/env bash
# Does a tenant's request slow down as tenants are added? For each tenant count in COUNTS (default "10 10000"), a
# database of the run cluster of its own (crm_tenants_<n>), migrated and seeded by the current Release build, gets
# that many tenants with CUSTOMERS customers each (default 100; the demo tenant acme included), then acme's
# GET /api/customers/{id} and GET /api/customers?pageSize=25 are measured with wrk: one caller (-t1 -c1) and 32
# (-t2 -c32), DURATION each after WARMUP (default 20s) of 32 callers on both requests, so that tiered compilation has
# finished in the API process just started for the database (a 2 s warm-up left the first database measured slower). The data is made by SQL (the search index is dropped during the bulk
# insert and built again, which is much faster than a million index insertions). Needs wrk.
#   scripts/bench-tenants.sh
#   COUNTS="10 1000" CUSTOMERS=100 scripts/bench-tenants.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
COUNTS="${COUNTS:-10 10000}"
CUSTOMERS="${CUSTOMERS:-100}"
DURATION="${DURATION:-8s}"
WARMUP="${WARMUP:-20s}"
BASE=http://127.0.0.1:5082
dotnet build -c Release src/WebApi -v q -nologo >/dev/null
source scripts/bench-lib.sh
bench_cluster
psql() { bench_psql "$@"; }
API_PID=
start_api() {
  (cd src/WebApi && ConnectionStrings__Crm="${OWNER/Database=crm/Database=$1}" Database__Migrate=true Database__SeedDemoData=true \
    Logging__LogLevel__Default=Warning ASPNETCORE_URLS=$BASE exec dotnet bin/Release/net10.0/CrmTenancy.WebApi.dll >/tmp/crm-tenants-api.log 2>&1) &
  API_PID=$!
  for _ in $(seq 1 90); do curl -sf $BASE/health/ready >/dev/null && return; sleep 1; done
  echo "the API did not start" >&2; cat /tmp/crm-tenants-api.log >&2; exit 1
}
stop_api() { [[ -z "$API_PID" ]] || { kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; API_PID=; }; }
trap stop_api EXIT

echo "| tenants | customers per tenant | request | 1 caller: req/s, p50 | 32 callers: req/s, p50 |"
echo "|---:|---:|---|---:|---:|"
for n in $COUNTS; do
  db="crm_tenants_$n"
  [[ -n "$(psql postgres -c "select 1 from pg_database where datname='$db'")" ]] || psql postgres -c "create database $db"
  start_api "$db"
  if [[ "$(psql "$db" -c "select count(*) from tenants")" -lt "$n" ]]; then
    # The owner bypasses row-level security only without FORCE; the bulk insert is the owner's, outside any request.
    psql "$db" -c "alter table customers no force row level security" \
      -c "insert into tenants (id, name, slug, status, created_at, version, record_visibility, outbox_sequence, passwordless_sign_in, tag_prefix, plan_code)
          select gen_random_uuid(), 'Tenant '||g, 'tenant-'||g, 'Active', now(), 1, 'Shared', 0, false, 'ct-'||substr(md5(random()::text), 1, 8)||'-', 'enterprise'
          from generate_series(1, $n - (select count(*) from tenants)) g" \
      -c "drop index ix_customers_search_text_trgm" \
      -c "insert into customers (id, tenant_id, name, email, company_name, status, source, tags, total_revenue, created_at, version)
          select gen_random_uuid(), t.id, 'Customer '||g||' '||md5(t.id::text||g), 'c'||g||'@example.com', 'Company '||(g%50), 'Active', 'Web',
                 array['bulk'], 0, now(), 1
          from tenants t, generate_series(1, $CUSTOMERS - (select count(*) from customers c where c.tenant_id = t.id)) g" \
      -c "create index ix_customers_search_text_trgm on customers using gin (tenant_id, search_text gin_trgm_ops) with (fastupdate = off)" \
      -c "alter table customers force row level security" -c "vacuum analyze"
  fi
  TOKEN=$(bench_token $BASE)
  echo "wrk.headers[\"Authorization\"] = \"Bearer $TOKEN\"" > /tmp/crm-tenants.lua
  ID=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/customers?pageSize=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])')
  tenants=$(psql "$db" -c "select count(*) from tenants"); per=$(psql "$db" -c "select count(*) from customers c join tenants t on t.id = c.tenant_id where t.slug = 'acme'")
  for spec in "get:/api/customers/$ID" "list:/api/customers?pageSize=25"; do
    wrk -t2 -c32 -d"$WARMUP" -s /tmp/crm-tenants.lua "$BASE${spec#*:}" >/dev/null
  done
  for spec in "get:/api/customers/$ID" "list:/api/customers?pageSize=25"; do
    url="$BASE${spec#*:}"
    wrk -t1 -c1 -d2s -s /tmp/crm-tenants.lua "$url" >/dev/null
    one=$(wrk -t1 -c1 -d"$DURATION" --latency -s /tmp/crm-tenants.lua "$url")
    many=$(wrk -t2 -c32 -d"$DURATION" --latency -s /tmp/crm-tenants.lua "$url")
    fmt() { echo "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$1"), $(awk '$1=="50%" {print $2}' <<<"$1")"; }
    echo "| $tenants | $per | ${spec%%:*} | $(fmt "$one") | $(fmt "$many") |"
  done
  stop_api
done
