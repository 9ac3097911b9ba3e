#!/usr/bin/env bash
# The product's private PostgreSQL cluster, for run, tests and CI.
#   scripts/pg.sh start [run|test]   initdb on first use, start on 127.0.0.1:$PGPORT, create $PGDATABASE
#   scripts/pg.sh stop               fast shutdown
#   scripts/pg.sh status
#   scripts/pg.sh destroy            stop and delete the data folder
# "run" keeps durable settings; "test" turns fsync off (throw-away data only). Works as root (the server runs
# as $PG_OS_USER through runuser) and as any other user. Prints the connection string on success.
set -euo pipefail

MODE="${2:-test}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGPORT="${PGPORT:-$([[ "$MODE" == run ]] && echo 55432 || echo 55433)}"
PGDATABASE="${PGDATABASE:-crm}"
PGSUPERUSER="${PGSUPERUSER:-postgres}"
PG_OS_USER="${PG_OS_USER:-postgres}"

find_pgbin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

PGBIN="${PGBIN:-$(find_pgbin)}"
if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "PostgreSQL server binaries not found; installing them with apt-get." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    PGBIN="$(find_pgbin)"
  fi
  if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
    echo "ERROR: PostgreSQL server binaries (initdb, pg_ctl) are missing. Install them, e.g. 'sudo apt-get install -y postgresql' (Debian/Ubuntu), or set PGBIN to their folder." >&2
    exit 1
  fi
fi

if [[ "$(id -u)" == 0 ]]; then
  id "$PG_OS_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER"
  AS=(runuser -u "$PG_OS_USER" --)
else
  AS=()
fi
# From /: the server's OS user may not be allowed into the current folder.
run() { (cd / && "${AS[@]}" "$@"); }

# The server's OS user must be able to enter every parent folder of the data folder; a checkout under a
# 0700 folder (such as /root) cannot host it, so fall back to a folder under /tmp named after the checkout.
data_root() {
  local preferred="$ROOT/.data"
  mkdir -p "$preferred"
  if [[ ${#AS[@]} -eq 0 ]] || { run test -x "$preferred" && run test -r "$preferred"; } 2>/dev/null; then
    echo "$preferred"
  else
    echo "/tmp/crmtenancy-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
  fi
}
DATA_ROOT="${PG_DATA_ROOT:-$(data_root)}"
PGDATA="$DATA_ROOT/pg-$MODE"
PGLOG="$DATA_ROOT/pg-$MODE.log"

cmd_start() {
  mkdir -p "$DATA_ROOT"
  [[ ${#AS[@]} -gt 0 ]] && chown "$PG_OS_USER": "$DATA_ROOT"
  if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
    mkdir -p "$PGDATA"; chmod 700 "$PGDATA"
    [[ ${#AS[@]} -gt 0 ]] && chown -R "$PG_OS_USER": "$PGDATA"
    run "$PGBIN/initdb" -D "$PGDATA" -U "$PGSUPERUSER" -E UTF8 --locale=C.UTF-8 --no-sync --auth=trust >/dev/null
  fi
  touch "$PGLOG"; [[ ${#AS[@]} -gt 0 ]] && chown "$PG_OS_USER": "$PGLOG"
  if ! run "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    # Another server (another checkout's cluster, say) may hold the port: take the next free one.
    local tries=0
    while "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && [[ $tries -lt 50 ]]; do
      PGPORT=$((PGPORT + 1)); tries=$((tries + 1))
    done
  else
    PGPORT="$(run sed -n 4p "$PGDATA/postmaster.pid")"
  fi
  # track_commit_timestamp: the outbox dispatcher delivers each tenant's events in commit order (docs/decisions/0017).
  local opts="-p $PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c track_commit_timestamp=on"
  if [[ "$MODE" == test ]]; then
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  if ! run "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    run "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 -o "$opts" start >/dev/null || { tail -20 "$PGLOG" >&2; exit 1; }
  fi
  for _ in $(seq 1 60); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.5; done
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"
  if ! "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U "$PGSUPERUSER" -d postgres -tAc "select 1 from pg_database where datname='$PGDATABASE'" | grep -q 1; then
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U "$PGSUPERUSER" "$PGDATABASE"
  fi
  echo "Host=127.0.0.1;Port=$PGPORT;Database=$PGDATABASE;Username=$PGSUPERUSER"
}
cmd_stop()    { if [[ -f "$PGDATA/postmaster.pid" ]]; then run "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null; else echo "not running"; fi; }
cmd_status()  { run "$PGBIN/pg_ctl" -D "$PGDATA" status; }
cmd_destroy() { cmd_stop || true; rm -rf "$PGDATA" "$PGLOG"; }

case "${1:-}" in
  start|stop|status|destroy) "cmd_$1" ;;
  *) echo "usage: $0 start|stop|status|destroy [run|test]" >&2; exit 2 ;;
esac
