#!/usr/bin/env bash
# Bootstrapper: restores the local tools (Cake, dotnet-ef) and runs build.cake with the given arguments.
#   ./build.sh --target=Run    start the product with its own PostgreSQL and demo data on http://127.0.0.1:5080
#   ./build.sh --target=Test   run every test against a private PostgreSQL
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet tool restore >/dev/null

status=0
dotnet cake build.cake "$@" || status=$?

# Run keeps the durable cluster up while serving; stop it however the server ended (Ctrl+C included).
if [[ " $* " == *" --target=Run "* ]]; then
  ./scripts/pg.sh stop run >/dev/null 2>&1 || true
fi
exit $status
