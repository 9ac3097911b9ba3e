#!/usr/bin/env bash
# Two builds of the API side by side on one database, alternating, so that a change's cost is read as a ratio in
# one run (the load generator, the API and PostgreSQL share the machine's cores). Release builds of the current
# tree and of BASE (a commit) are served in turn on the run cluster's demo data plus 5,000 customers per demo
# tenant; each request is measured with wrk -t2 -c32 after a warm-up of WARMUP (2 s unless set; OpenIddict's
# pipeline needs 15 s or more before its tiered JIT settles, so token numbers want WARMUP=15s). Needs wrk (apt-get install -y wrk).
# SEPARATE_DATABASES=1 gives each build its own database in the cluster (crm_base for BASE), migrated and seeded by
# that build, for a BASE whose schema the current migrations changed incompatibly; the data is the same either way.
#   scripts/bench-builds.sh 95c5391            # BASE against the working tree
#   SEPARATE_DATABASES=1 scripts/bench-builds.sh main
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BASE_REV="${1:?a commit to compare with}"
BASE=http://127.0.0.1:5080
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-2}"
WARMUP="${WARMUP:-2s}"
OLD=/tmp/crm-bench-base
[[ -d $OLD ]] || git worktree add --detach "$OLD" "$BASE_REV" >/dev/null
(cd "$OLD" && git checkout -q --detach "$BASE_REV" && dotnet build -c Release src/WebApi -v q -nologo >/dev/null)
dotnet build -c Release src/WebApi -v q -nologo >/dev/null
source scripts/bench-lib.sh
bench_cluster
DB=crm
psql() { bench_psql "$DB" "$@"; }

start_api() { # $1: the build's root, $2: migrate or not; in the database $DB
  (cd "$1/src/WebApi" && ConnectionStrings__Crm="${OWNER/Database=crm/Database=$DB}" Database__Migrate="$2" Database__SeedDemoData="$2" \
    Logging__LogLevel__Default=Warning ASPNETCORE_URLS=$BASE exec dotnet bin/Release/net10.0/CrmTenancy.WebApi.dll >/tmp/crm-bench-api.log 2>&1) &
  API_PID=$!
  for _ in $(seq 1 90); do curl -sf $BASE/health/ready >/dev/null && return; sleep 1; done
  echo "the API did not start" >&2; cat /tmp/crm-bench-api.log >&2; exit 1
}
stop_api() { kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; }

# Each database's demo tenants get 5,000 more customers each (once).
seed() { bench_seed_bulk_customers "$DB"; }
if [[ -n "${SEPARATE_DATABASES:-}" ]]; then
  DB=postgres; [[ -n "$(psql -c "select 1 from pg_database where datname='crm_base'")" ]] || psql -c "create database crm_base"
  DB=crm_base; start_api "$OLD" true; seed; stop_api
fi
DB=crm
start_api "$ROOT" true   # the newer build migrates; without SEPARATE_DATABASES the older one runs on the same schema
seed
# A token from the build being measured: a build from before the signing keys were encrypted at rest cannot read
# a key the newer build stored, so each build's turn starts from its own key.
token() {
  TOKEN=$(bench_token $BASE)
  cat > /tmp/crm-bench-get.lua <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
  cat > /tmp/crm-bench-post.lua <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Bench customer","source":"Web"}'
LUA
  cat > /tmp/crm-bench-token.lua <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Basic $(printf 'acme-integration:acme-demo-secret-change-me' | base64 -w0)"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials"
LUA
}
token
customer() { ID=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/customers?pageSize=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])'); }
stop_api
clean() { psql -c "delete from outbox_messages" -c "delete from customers where name = 'Bench customer'" -c "vacuum analyze customers"; }
clean

for round in $(seq 1 "$ROUNDS"); do
  for build in base current; do
    if [[ $build == base && -n "${SEPARATE_DATABASES:-}" ]]; then DB=crm_base; else DB=crm; fi
    psql -c "delete from signing_keys"
    if [[ $build == base ]]; then start_api "$OLD" false; else start_api "$ROOT" false; fi
    token
    customer
    # The creates last: the outbox dispatcher works off their events for a while after, which would load the next one.
    for spec in "get:/api/customers/$ID" "get:/api/customers?pageSize=25" "get:/api/customers?search=company%2042&pageSize=25" "token:/connect/token" "post:/api/customers"; do
      script=/tmp/crm-bench-${spec%%:*}.lua; url="$BASE${spec#*:}"
      wrk -t2 -c32 -d"$WARMUP" -s "$script" "$url" >/dev/null
      result=$(wrk -t2 -c32 -d"$DURATION" --latency -s "$script" "$url")
      rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
      p50=$(awk '$1=="50%" {print $2}' <<<"$result")
      non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$result")
      echo "round $round  $build  ${spec%%:*} ${spec#*:}  $rps req/s  p50 $p50  non-2xx ${non2xx:-0}"
    done
    # The creates would slow every later list: remove them (and their outbox rows) before the next build runs.
    clean
    stop_api
  done
done
./scripts/pg.sh stop run >/dev/null
