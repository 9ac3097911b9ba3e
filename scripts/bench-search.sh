#!/usr/bin/env bash
# The customer search at scale, one caller: PER_TENANT customers in each demo tenant (default 100,000; one contact
# for every tenth), in a database of the run cluster of their own (crm_search_<PER_TENANT>), migrated and seeded by
# the current Release build. Prints wrk -t1 -c1 latencies of the plain list, a search by company and a search by a
# contact's name, then the plans PostgreSQL ran for the product's own statements (auto_explain, for one request each).
#   scripts/bench-search.sh                  # 100,000 customers per tenant
#   PER_TENANT=5000 scripts/bench-search.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PER_TENANT="${PER_TENANT:-100000}"
DURATION="${DURATION:-10s}"
BASE=http://127.0.0.1:5081
DB="crm_search_$PER_TENANT"
dotnet build -c Release src/WebApi -v q -nologo >/dev/null
source scripts/bench-lib.sh
bench_cluster
PGLOG="$( (ls -d "$ROOT"/.data/pg-run.log /tmp/*/pg-run.log 2>/dev/null || true) | head -1)"
psql() { bench_psql "$@"; }
[[ -n "$(psql postgres -c "select 1 from pg_database where datname='$DB'")" ]] || psql postgres -c "create database $DB"

start_api() { bench_start_api "$DB" "$BASE" /tmp/crm-search-api.log; }
stop_api() { bench_stop_api; }

start_api
TA=$(psql "$DB" -c "select id from tenants where slug='acme'")
TB=$(psql "$DB" -c "select id from tenants where slug='globex'")
if [[ "$(psql "$DB" -c "select count(*) from customers where tenant_id = '$TA'")" -lt "$PER_TENANT" ]]; then
  psql "$DB" -c "insert into customers (id, tenant_id, name, email, company_name, status, source, tags, total_revenue, created_at, version)
           select gen_random_uuid(), t, 'Customer '||g||' '||md5(g::text), 'c'||g||'@example.com', 'Company '||(g%500), 'Active', 'Web',
                  array['bulk'], 0, now(), 1
           from generate_series(1,$PER_TENANT) g, (values ('$TA'::uuid), ('$TB'::uuid)) v(t);" \
    -c "insert into contacts (id, tenant_id, customer_id, first_name, last_name, email, type, is_primary, created_at, version)
           select gen_random_uuid(), c.tenant_id, c.id, 'Person', 'Surname'||substr(md5(c.id::text), 1, 6), null, 'Client', false, now(), 1
           from customers c where c.email like 'c%0@example.com';" -c "vacuum analyze;"
fi
TOKEN=$(bench_token $BASE)
echo "wrk.headers[\"Authorization\"] = \"Bearer $TOKEN\"" > /tmp/crm-search.lua
SURNAME=$(psql "$DB" -c "select last_name from contacts where tenant_id = '$TA' and last_name like 'Surname%' limit 1")
URLS=("/api/customers?pageSize=25" "/api/customers?search=company%2042&pageSize=25" "/api/customers?search=${SURNAME,,}&pageSize=25")
echo "customers per tenant: $(psql "$DB" -c "select count(*) from customers where tenant_id = '$TA'"), contacts: $(psql "$DB" -c "select count(*) from contacts where tenant_id = '$TA'")"
for url in "${URLS[@]}"; do
  wrk -t1 -c1 -d2s -s /tmp/crm-search.lua "$BASE$url" >/dev/null
  result=$(wrk -t1 -c1 -d"$DURATION" --latency -s /tmp/crm-search.lua "$BASE$url")
  total=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE$url" | python3 -c 'import sys,json; print(json.load(sys.stdin)["totalCount"])')
  echo "$url  total $total  $(awk '/Requests\/sec/ {print $2}' <<<"$result") req/s  p50 $(awk '$1=="50%" {print $2}' <<<"$result")  p99 $(awk '$1=="99%" {print $2}' <<<"$result")"
done
stop_api

# The plans of the product's own statements: auto_explain in the database's new sessions, one request per URL.
psql "$DB" -c "alter database $DB set session_preload_libraries = 'auto_explain'" -c "alter database $DB set auto_explain.log_min_duration = 0" \
  -c "alter database $DB set auto_explain.log_analyze = on" -c "alter database $DB set auto_explain.log_buffers = on"
MARK=$(wc -l < "$PGLOG")
start_api
TOKEN=$(bench_token $BASE)
for url in "${URLS[@]:1}"; do curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE$url"; done
stop_api
psql "$DB" -c "alter database $DB reset all"
# Each logged plan is one block; print the blocks of the statements that search.
tail -n +"$MARK" "$PGLOG" | awk '/duration: .* plan:/ { if (block ~ /search_text/) print block; block = "" } { block = block $0 "\n" }
                                 END { if (block ~ /search_text/) print block }'
