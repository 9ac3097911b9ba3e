#!/usr/bin/env bash
# The change feed's fan-out: STREAMS open Server-Sent-Event streams (GET /api/events) across the two demo tenants, on
# two instances of the product (one database, crm_events, made afresh), while CHANGES customers are created through the
# first instance at RATE per second. Prints, per delivered event, commit-to-delivery latency percentiles (the event's
# occurredAt to its arrival at the subscriber), and how many streams got every change of their tenant.
#   scripts/bench-events.sh
#   STREAMS=200 CHANGES=50 scripts/bench-events.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STREAMS="${STREAMS:-1000}"
CHANGES="${CHANGES:-40}"
RATE="${RATE:-4}"
DB=crm_events
dotnet build -c Release src/WebApi -v q -nologo >/dev/null
source scripts/bench-lib.sh
bench_cluster
bench_psql postgres -c "drop database if exists $DB" -c "create database $DB"
bench_start_api "$DB" http://127.0.0.1:5087 /tmp/crm-events-1.log
FIRST=$BENCH_API_PID
bench_start_api "$DB" http://127.0.0.1:5088 /tmp/crm-events-2.log
trap 'kill $FIRST $BENCH_API_PID 2>/dev/null || true' EXIT
ulimit -n 65536 2>/dev/null || true

python3 - "$STREAMS" "$CHANGES" "$RATE" <<'PY'
import asyncio, json, sys, time, urllib.request, datetime, statistics
streams, changes, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
hosts = [("127.0.0.1", 5087), ("127.0.0.1", 5088)]
clients = {"acme": ("acme-integration", "acme-demo-secret-change-me"), "globex": ("globex-integration", "globex-demo-secret-change-me")}

def token(tenant):
    cid, secret = clients[tenant]
    body = f"grant_type=client_credentials&client_id={cid}&client_secret={secret}".encode()
    with urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:5087/connect/token", body)) as r:
        return json.load(r)["access_token"]

tokens = {t: token(t) for t in clients}
latencies, received, ready = [], {}, 0

async def subscribe(i):
    global ready
    tenant = "acme" if i % 2 == 0 else "globex"
    host, port = hosts[i % 2]
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
    writer.write(f"GET /api/events?types=customer HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {tokens[tenant]}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    seen = received.setdefault(i, set())
    counted = False
    while True:
        line = await reader.readline()
        if not line:
            return
        text = line.decode().strip()
        if text.startswith(": connected") and not counted:
            ready += 1
            counted = True
        elif text.startswith("data: "):
            event = json.loads(text[6:])
            at = datetime.datetime.fromisoformat(event["occurredAt"]).timestamp()
            latencies.append(time.time() - at)
            seen.add(event["recordId"])

def create(i):
    tenant = "acme" if i % 2 == 0 else "globex"
    req = urllib.request.Request("http://127.0.0.1:5087/api/customers", json.dumps({"name": f"Live {i}"}).encode(),
                                 {"Authorization": f"Bearer {tokens[tenant]}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return tenant, json.load(r)["id"]

async def main():
    tasks = [asyncio.create_task(subscribe(i)) for i in range(streams)]
    for _ in range(300):
        if ready >= streams:
            break
        await asyncio.sleep(0.1)
    print(f"{ready} of {streams} streams open")
    made = []
    loop = asyncio.get_running_loop()
    for i in range(changes):
        made.append(await loop.run_in_executor(None, create, i))
        await asyncio.sleep(1 / rate)
    await asyncio.sleep(6)
    for t in tasks:
        t.cancel()
    ids = {"acme": {i for t, i in made if t == "acme"}, "globex": {i for t, i in made if t == "globex"}}
    complete = sum(1 for i, seen in received.items() if ids["acme" if i % 2 == 0 else "globex"] <= seen)
    leaked = sum(1 for i, seen in received.items() if seen & ids["globex" if i % 2 == 0 else "acme"])
    latencies.sort()
    def p(q): return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"{len(latencies)} deliveries of {changes} changes to {streams} streams; streams with every change of their tenant: {complete}; streams with another tenant's: {leaked}")
    print(f"commit-to-delivery ms: p50 {p(0.50):.0f}  p90 {p(0.90):.0f}  p99 {p(0.99):.0f}  max {latencies[-1]*1000:.0f}")

asyncio.run(main())
PY
