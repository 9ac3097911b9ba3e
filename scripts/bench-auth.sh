#!/usr/bin/env bash
# What a signed-in person's request costs next to an integration's: GET one customer with a client-credentials
# token and with a user's token from the authorization code flow (the bearer handler's one-query subject check
# runs for both), and the token endpoint's grants. Uses the run cluster's demo data and stops that cluster at the
# end: run it when ./build.sh --target=Run is not serving. Needs wrk (apt-get install -y wrk) and a Release build:
#   dotnet build -c Release && scripts/bench-auth.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BASE=http://127.0.0.1:5080
DURATION="${DURATION:-10s}"
OWNER="$(./scripts/pg.sh start run | tail -1)"
APP=bin/Release/net10.0/CrmTenancy.WebApi.dll
json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }

cd src/WebApi
ConnectionStrings__Crm="$OWNER" Database__Migrate=true Database__SeedDemoData=true Logging__LogLevel__Default=Warning \
  ASPNETCORE_URLS=$BASE dotnet "$APP" >/tmp/crm-bench-api.log 2>&1 &
API_PID=$!
cd "$ROOT"
trap 'kill $API_PID 2>/dev/null || true; wait $API_PID 2>/dev/null || true; ./scripts/pg.sh stop run >/dev/null' EXIT
for _ in $(seq 1 60); do curl -sf $BASE/health/ready >/dev/null && break; sleep 1; done

CLIENT=$(curl -s -u acme-integration:acme-demo-secret-change-me -d grant_type=client_credentials $BASE/connect/token | json '["access_token"]')

# A person's token: the code flow of the README, the cookie jar playing the browser.
JAR=$(mktemp)
VERIFIER=$(openssl rand -hex 32)
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')
AUTHORIZE="/connect/authorize?response_type=code&client_id=crm-web&redirect_uri=http%3A%2F%2Flocalhost%3A5173%2Fcallback&scope=openid%20offline_access%20crm.read%20crm.write&state=s&code_challenge=$CHALLENGE&code_challenge_method=S256"
XSRF=$(curl -s -c "$JAR" -b "$JAR" $BASE/account/login | sed -n 's/.*name="__RequestVerificationToken" value="\([^"]*\)".*/\1/p')
curl -s -c "$JAR" -b "$JAR" -o /dev/null $BASE/account/login --data-urlencode "__RequestVerificationToken=$XSRF" \
  --data-urlencode "returnUrl=$AUTHORIZE" -d organisation=acme --data-urlencode email=member@acme.example -d password=acme-member-demo-pass
CODE=$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{redirect_url}' "$BASE$AUTHORIZE" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
USER=$(curl -s $BASE/connect/token -d grant_type=authorization_code -d client_id=crm-web -d "code=$CODE" \
  --data-urlencode redirect_uri=http://localhost:5173/callback -d "code_verifier=$VERIFIER" | json '["access_token"]')
rm -f "$JAR"

ID=$(curl -s -H "Authorization: Bearer $CLIENT" "$BASE/api/customers?pageSize=1" | json '["items"][0]["id"]')
run() { # $1 label, $2 token, $3 url, [$4 wrk extra]
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n%s\n' "$2" "${4:-}" > /tmp/crm-bench-auth.lua
  wrk -t2 -c32 -d2s -s /tmp/crm-bench-auth.lua "$BASE$3" >/dev/null
  result=$(wrk -t2 -c32 -d"$DURATION" --latency -s /tmp/crm-bench-auth.lua "$BASE$3")
  printf '%-46s %10s req/s  p50 %8s  p99 %8s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$result")" \
    "$(awk '$1=="50%" {print $2}' <<<"$result")" "$(awk '$1=="99%" {print $2}' <<<"$result")"
}
for round in 1 2; do
  echo "round $round"
  run "GET customer, client-credentials token" "$CLIENT" "/api/customers/$ID"
  run "GET customer, user token (code flow)" "$USER" "/api/customers/$ID"
  run "GET /api/me, user token" "$USER" "/api/me"
  run "client_credentials grant" "x" "/connect/token" \
    'wrk.method = "POST"; wrk.body = "grant_type=client_credentials&client_id=acme-integration&client_secret=acme-demo-secret-change-me"; wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"; wrk.headers["Authorization"] = nil'
done
