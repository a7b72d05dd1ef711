#!/usr/bin/env bash
# Runs every benchmark of issue 8 in Release and Production and writes the report:
#   bench/run.sh            full run (about an hour and a half): bench/results/<date>.md, .json, -latency.svg
#   bench/run.sh --tiny     smoke-size run (a couple of minutes), written to bench/results/tmp/ (not committed)
# Other arguments go to the harness (sizes, --only latency,memory,history; see bench/README.md).
# Run it on a quiet machine: anything else busy on the cores spoils the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."

tiny=false
for arg in "$@"; do [ "$arg" = "--tiny" ] && tiny=true; done
[ -x /usr/bin/chromium ] || { echo "Needs Debian's Chromium: apt-get install -y chromium" >&2; exit 1; }

tmp=bench/results/tmp
out=bench/results
$tiny && out=$tmp
mkdir -p "$tmp"

# Server on core 0, everything else (harness, Playwright, Chromium) on the other cores.
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  server_core=(taskset -c 0)
  client_cores=(taskset -c "1-$(( $(nproc) - 1 ))")
else
  server_core=()
  client_cores=()
fi

echo "== Building (Release)"
dotnet publish DuckChat.Web/DuckChat.Web.csproj -c Release -o "$tmp/publish/duckchat" -p:UseAppHost=false -v quiet -nologo
dotnet publish bench/Baseline/DuckChat.Bench.Baseline.csproj -c Release -o "$tmp/publish/baseline" -p:UseAppHost=false -v quiet -nologo
dotnet build bench/Harness/DuckChat.Bench.Harness.csproj -c Release -v quiet -nologo
dotnet build bench/Bus/DuckChat.Bench.Bus.csproj -c Release -v quiet -nologo

echo "== M5: the in-process bus (BenchmarkDotNet)"
bus_args=("$tmp/bus.json")
$tiny && bus_args+=(--dry)
"${server_core[@]}" dotnet bench/Bus/bin/Release/net10.0/DuckChat.Bench.Bus.dll "${bus_args[@]}" > "$tmp/bus.log"
grep '^|' "$tmp/bus.log" || true

echo "== M1, M3, M4, M6: DuckChat and the baseline in the browser"
"${client_cores[@]}" dotnet bench/Harness/bin/Release/net10.0/DuckChat.Bench.Harness.dll \
  --duckchat "$tmp/publish/duckchat" --baseline "$tmp/publish/baseline" --out "$out" --bus "$tmp/bus.json" "$@"
