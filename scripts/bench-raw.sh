#!/usr/bin/env bash
# The product against its raw limit, side by side: the Release API and benchmarks/CrmTenancy.RawBaseline (the
# product's own statements on plain Npgsql) on the same database (the run cluster's demo data plus 5,000 customers
# per demo tenant), wrk -t2 -c32 alternating between the two for each request, ROUNDS times. Prints requests per
# second, the ratio, and the machine's CPU time per request (all processes: wrk, the server, PostgreSQL).
# First it checks that the baseline's statements are still the product's (from the product's statement log).
# Needs wrk (apt-get install -y wrk).
# Before the rounds both processes get WARMUP (default 20s) of every request, so that tiered compilation has finished
# and the first round measures the same code as the last.
#   scripts/bench-raw.sh
#   ROUNDS=3 DURATION=10s WARMUP=30s scripts/bench-raw.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-8s}"
ROUNDS="${ROUNDS:-2}"
WARMUP="${WARMUP:-20s}"
PRODUCT=http://127.0.0.1:5080
RAW=http://127.0.0.1:5090
dotnet build -c Release src/WebApi -v q -nologo >/dev/null
dotnet build -c Release benchmarks/CrmTenancy.RawBaseline -v q -nologo >/dev/null
source scripts/bench-lib.sh
bench_cluster
PGLOG="$( (ls -d "$ROOT"/.data/pg-run.log /tmp/*/pg-run.log 2>/dev/null || true) | head -1)"
psql() { bench_psql crm "$@"; }
PIDS=()
wait_ready() { for _ in $(seq 1 90); do curl -s -o /dev/null "$1" && return; sleep 1; done; echo "$1 did not start" >&2; exit 1; }
start_product() {
  (cd src/WebApi && ConnectionStrings__Crm="$OWNER" Database__Migrate=true Database__SeedDemoData=true Logging__LogLevel__Default=Warning \
    ASPNETCORE_URLS=$PRODUCT exec dotnet bin/Release/net10.0/CrmTenancy.WebApi.dll >/tmp/crm-raw-product.log 2>&1) &
  PIDS+=($!); wait_ready $PRODUCT/health/ready
}
start_raw() {
  (cd benchmarks/CrmTenancy.RawBaseline && ConnectionStrings__Crm="$OWNER" ASPNETCORE_URLS=$RAW \
    exec dotnet bin/Release/net10.0/CrmTenancy.RawBaseline.dll >/tmp/crm-raw-baseline.log 2>&1) &
  PIDS+=($!); wait_ready $RAW/api/customers
}
stop_all() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; PIDS=(); }
trap stop_all EXIT
token() { bench_token $PRODUCT; }
scripts() {
  echo "wrk.headers[\"Authorization\"] = \"Bearer $TOKEN\"" > /tmp/crm-raw-get.lua
  cat > /tmp/crm-raw-post.lua <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Bench customer","source":"Web"}'
LUA
}
clean() { psql -c "delete from outbox_messages" -c "delete from customers where name = 'Bench customer'" -c "vacuum analyze customers" >/dev/null; }

# The data: the demo tenants and 5,000 more customers each (once).
start_product
bench_seed_bulk_customers crm
stop_all

# The baseline's statements must be the product's: log one request of each kind and compare.
psql -c "alter database crm set log_statement = 'all'"
MARK=$(wc -l < "$PGLOG")
start_product
TOKEN=$(token); scripts
ID=$(curl -s -H "Authorization: Bearer $TOKEN" "$PRODUCT/api/customers?pageSize=25" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])')
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$PRODUCT/api/customers/$ID"
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$PRODUCT/api/customers?search=company%2042&pageSize=25"
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d '{"name":"Bench customer","source":"Web"}' "$PRODUCT/api/customers"
stop_all
psql -c "alter database crm reset log_statement"
tail -n +"$MARK" "$PGLOG" > /tmp/crm-raw-statements.log
(cd benchmarks/CrmTenancy.RawBaseline && dotnet bin/Release/net10.0/CrmTenancy.RawBaseline.dll --print-sql) > /tmp/crm-raw-copies.sql
python3 - <<'PY'
import re, sys
log = open('/tmp/crm-raw-statements.log').read()
sent = set()
for entry in re.split(r'\n(?=\d{4}-\d\d-\d\d )', log):
    m = re.search(r'LOG:  (?:execute [^:]*|statement): (.*)', entry, re.S)
    if m:
        sent.add(' '.join(m.group(1).split()))
copies = open('/tmp/crm-raw-copies.sql').read().split('\0')
missing = [c for c in copies if ' '.join(c.split()) not in sent]
for c in missing:
    print('the product no longer sends this statement of benchmarks/CrmTenancy.RawBaseline/ProductSql.cs:\n' + c, file=sys.stderr)
sys.exit(1 if missing else 0)
PY
echo "the baseline's $(tr -cd '\0' < /tmp/crm-raw-copies.sql | wc -c | awk '{print $1+1}') statements are the product's"

clean
start_product; start_raw
TOKEN=$(token); scripts
ID=$(curl -s -H "Authorization: Bearer $TOKEN" "$PRODUCT/api/customers?pageSize=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])')
REQUESTS=("get:get:/api/customers/$ID" "list:get:/api/customers?pageSize=25" "search:get:/api/customers?search=company%2042&pageSize=25" "create:post:/api/customers")
for spec in "${REQUESTS[@]}"; do
  IFS=: read -r name script path <<<"$spec"
  wrk -t2 -c32 -d"$WARMUP" -s /tmp/crm-raw-$script.lua "$PRODUCT$path" >/dev/null
  wrk -t2 -c32 -d"$WARMUP" -s /tmp/crm-raw-$script.lua "$RAW$path" >/dev/null
  [[ $name != create ]] || clean
done
busy() { awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat; }
TICK=$(getconf CLK_TCK)
declare -A RPS CPU
for round in $(seq 1 "$ROUNDS"); do
  for spec in "${REQUESTS[@]}"; do
    IFS=: read -r name script path <<<"$spec"
    for side in product raw; do
      base=$PRODUCT; [[ $side == raw ]] && base=$RAW
      wrk -t2 -c32 -d2s -s /tmp/crm-raw-$script.lua "$base$path" >/dev/null
      before=$(busy)
      result=$(wrk -t2 -c32 -d"$DURATION" -s /tmp/crm-raw-$script.lua "$base$path")
      after=$(busy)
      requests=$(awk '/requests in/ {print $1}' <<<"$result")
      non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$result")
      [[ -z "$non2xx" ]] || { echo "$side $name: $non2xx answers were not 2xx" >&2; exit 1; }
      RPS[$side,$name]+="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$result") "
      CPU[$side,$name]+="$(awk -v b="$before" -v a="$after" -v n="$requests" -v t="$TICK" 'BEGIN {printf "%.2f", (a-b)/t*1000/n}') "
      [[ $name != create ]] || clean
    done
  done
done
echo
echo "| request | product req/s | raw req/s | product / raw | CPU ms per request, product | raw |"
echo "|---|---:|---:|---:|---:|---:|"
for name in get list search create; do
  ratios=$(python3 -c "p='${RPS[product,$name]}'.split(); r='${RPS[raw,$name]}'.split(); print(', '.join(f'{int(a)/int(b):.2f}' for a, b in zip(p, r)))")
  echo "| $name | ${RPS[product,$name]% } | ${RPS[raw,$name]% } | $ratios | ${CPU[product,$name]% } | ${CPU[raw,$name]% } |"
done
