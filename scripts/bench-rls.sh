#!/usr/bin/env bash
# Throughput of get and list customers with row-level security on (the application role) and off (the owner,
# which bypasses the policies), alternating in one run. It adds 10,000 bulk customers to the run cluster's demo
# data (once) and stops that cluster at the end: run it when ./build.sh --target=Run is not serving. Needs wrk (apt-get install -y wrk) and a Release build:
#   dotnet build -c Release && scripts/bench-rls.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BASE=http://127.0.0.1:5080
DURATION="${DURATION:-10s}"
EXTRA="${EXTRA:-}"   # appended to the application's connection string, e.g. ";Max Auto Prepare=32"
source scripts/bench-lib.sh
bench_cluster
psql() { bench_psql crm "$@"; }
APP=bin/Release/net10.0/CrmTenancy.WebApi.dll

start_api() { # $1: the application's connection string
  cd src/WebApi
  ConnectionStrings__Crm="$OWNER" ConnectionStrings__CrmApp="$1" Database__Migrate=true Database__SeedDemoData=true \
    Logging__LogLevel__Default=Warning ASPNETCORE_URLS=$BASE dotnet "$APP" >/tmp/crm-bench-api.log 2>&1 &
  API_PID=$!
  cd "$ROOT"
  for _ in $(seq 1 60); do curl -sf $BASE/health/ready >/dev/null && return; sleep 1; done
  echo "the API did not start" >&2; exit 1
}
stop_api() { kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; }

start_api "$(sed 's/Username=postgres/Username=crm_app/' <<<"$OWNER")"
bench_seed_bulk_customers crm
TOKEN=$(bench_token $BASE)
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$TOKEN" > /tmp/crm-bench-auth.lua
ID=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/customers?pageSize=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])')
stop_api

for round in 1 2; do
  for mode in on off; do
    if [[ $mode == on ]]; then start_api "$(sed 's/Username=postgres/Username=crm_app/' <<<"$OWNER")$EXTRA"; else start_api "$OWNER$EXTRA"; fi
    for url in "/api/customers/$ID" "/api/customers?pageSize=25"; do
      wrk -t2 -c32 -d2s -s /tmp/crm-bench-auth.lua "$BASE$url" >/dev/null   # warm-up
      result=$(wrk -t2 -c32 -d"$DURATION" --latency -s /tmp/crm-bench-auth.lua "$BASE$url")
      rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
      p50=$(awk '$1=="50%" {print $2}' <<<"$result")
      p99=$(awk '$1=="99%" {print $2}' <<<"$result")
      echo "round $round  rls $mode  $url  $rps req/s  p50 $p50  p99 $p99"
    done
    stop_api
  done
done
./scripts/pg.sh stop run >/dev/null
