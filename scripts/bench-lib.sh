# Shared by the scripts/bench-*.sh measurements (sourced, not run): the run cluster, psql on one of its databases,
# a demo client's access token, and the bulk customers every throughput measurement runs on.

# Starts the run cluster; sets OWNER (the owner's connection string to its crm database), PGPORT_RUN and PGBIN.
bench_cluster() {
  OWNER="$(./scripts/pg.sh start run | tail -1)"
  PGPORT_RUN="$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$OWNER")"
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
}

# psql as the superuser on database $1, unaligned and quiet: bench_psql crm -c "select 1"
bench_psql() { "$PGBIN/psql" "host=127.0.0.1 port=$PGPORT_RUN dbname=$1 user=postgres" -qtAX "${@:2}"; }

# Prints an access token of the acme integration (client credentials) from the API at $1.
bench_token() {
  curl -s -u acme-integration:acme-demo-secret-change-me -d grant_type=client_credentials "$1/connect/token" |
    python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])'
}

# Gives the demo tenants of database $1 5,000 more customers each, once (the data docs/performance.md measures on).
bench_seed_bulk_customers() {
  local ta tb
  ta=$(bench_psql "$1" -c "select id from tenants where slug='acme'")
  tb=$(bench_psql "$1" -c "select id from tenants where slug='globex'")
  if [[ "$(bench_psql "$1" -c "select count(*) from customers")" -lt 10000 ]]; then
    bench_psql "$1" -c "insert into customers (id, tenant_id, name, email, company_name, status, source, tags, total_revenue, created_at, version)
             select gen_random_uuid(), t, 'Customer '||g||' '||md5(g::text), 'c'||g||'@example.com', 'Company '||(g%500), 'Active', 'Web',
                    array['bulk'], 0, now(), 1
             from generate_series(1,5000) g, (values ('$ta'::uuid), ('$tb'::uuid)) v(t);" -c "analyze;" >/dev/null
  fi
}

# Starts this tree's Release API on database $1 at URL $2 (migrating and seeding the demo data), logging to $3; waits
# until it is ready. bench_stop_api stops it.
bench_start_api() {
  (cd src/WebApi && ConnectionStrings__Crm="${OWNER/Database=crm/Database=$1}" Database__Migrate=true Database__SeedDemoData=true \
    Logging__LogLevel__Default=Warning ASPNETCORE_URLS=$2 exec dotnet bin/Release/net10.0/CrmTenancy.WebApi.dll >"$3" 2>&1) &
  BENCH_API_PID=$!
  for _ in $(seq 1 90); do curl -sf "$2/health/ready" >/dev/null && return; sleep 1; done
  echo "the API did not start" >&2; cat "$3" >&2; exit 1
}
bench_stop_api() { kill "$BENCH_API_PID" 2>/dev/null || true; wait "$BENCH_API_PID" 2>/dev/null || true; }
