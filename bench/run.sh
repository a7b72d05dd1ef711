#!/usr/bin/env bash
# Runs every benchmark of issue 8 in Release and Production and writes the report:
#   bench/run.sh            full run (about an hour and a half): bench/results/<date>.md, .json, -latency.svg
#   bench/run.sh --tiny     smoke-size run (a couple of minutes), written to bench/results/tmp/ (not committed); so are --only runs
# Other arguments go to the harness (sizes, --only latency,memory,history,faithfulness,circuits,sendpath,uploads; see bench/README.md);
# with --only, M5 (BenchmarkDotNet, not a harness phase) is left out, and the send path (its own process too) runs only
# when the list names it: bench/run.sh --only sendpath writes a report of the send path alone. Search (issue 19: a
# seeded 1,000,000-message database, its own process) runs only when the list names it, and writes its own section
# (bench/results/tmp/search.md and .json); the harness runs after it only for the other phases listed.
# Run it on a quiet machine: anything else busy on the cores spoils the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."

tiny=false
only=false
phases=""
previous=""
for arg in "$@"; do
  [ "$arg" = "--tiny" ] && tiny=true
  [ "$arg" = "--only" ] && only=true
  [ "$previous" = "--only" ] && phases=",$arg,"
  previous=$arg
done
# The send path runs unless --only leaves it out; the servers are needed unless it is all that runs; Chromium and the
# baseline only for the phases in the browser (M2 and uploads drive DuckChat over HTTP alone).
sendpath=true
servers=true
browser=true
search=false
harness=true
harness_args=("$@")
if $only; then
  listed=$(echo "${phases,,}" | tr ',' '\n' | grep -v -x -e '' || true)
  [[ "${phases,,}" == *,sendpath,* ]] || sendpath=false
  [[ "${phases,,}" == *,search,* ]] && search=true
  [[ -n "$(grep -v -x -e sendpath -e search <<<"$listed" || true)" ]] || servers=false
  [[ -n "$(grep -v -x -e sendpath -e search -e circuits -e uploads <<<"$listed" || true)" ]] || browser=false
  # The harness has no search phase: it gets the list without it, and does not run when nothing else is listed.
  others=$(grep -v -x -e search <<<"$listed" | paste -sd, - || true)
  [ -n "$others" ] || harness=false
  harness_args=()
  previous=""
  for arg in "$@"; do
    if [ "$previous" = "--only" ]; then harness_args+=("$others"); else harness_args+=("$arg"); fi
    previous=$arg
  done
fi
if $browser; then
  [ -x /usr/bin/chromium ] || { echo "Needs Debian's Chromium: apt-get install -y chromium" >&2; exit 1; }
fi

tmp=bench/results/tmp
out=bench/results
# Only a full run is a report: smoke-size and partial runs go to the git-ignored tmp/.
($tiny || $only) && out=$tmp
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
if $servers; then
  dotnet publish DuckChat.Web/DuckChat.Web.csproj -c Release -o "$tmp/publish/duckchat" -p:UseAppHost=false -v quiet -nologo
  if $browser; then
    dotnet publish bench/Baseline/DuckChat.Bench.Baseline.csproj -c Release -o "$tmp/publish/baseline" -p:UseAppHost=false -v quiet -nologo
  fi
fi
$harness && dotnet build bench/Harness/DuckChat.Bench.Harness.csproj -c Release -v quiet -nologo
$only || dotnet build bench/Bus/DuckChat.Bench.Bus.csproj -c Release -v quiet -nologo
$sendpath && dotnet build bench/SendPath/DuckChat.Bench.SendPath.csproj -c Release -v quiet -nologo
$search && dotnet build bench/Search/DuckChat.Bench.Search.csproj -c Release -v quiet -nologo

# M5 is not a harness phase: a run of chosen phases (--only) leaves it out.
bus=()
if ! $only; then
  echo "== M5: the in-process bus (BenchmarkDotNet)"
  bus_args=("$tmp/bus.json")
  $tiny && bus_args+=(--dry)
  "${server_core[@]}" dotnet bench/Bus/bin/Release/net10.0/DuckChat.Bench.Bus.dll "${bus_args[@]}" > "$tmp/bus.log"
  grep '^|' "$tmp/bus.log" || true
  bus=(--bus "$tmp/bus.json")
fi

# The send path (issue 15, 5a): the app's services in their own process, pinned as the server is.
send_path=()
if $sendpath; then
  echo "== Send path (issue 15, 5a)"
  send_path_args=(--out "$tmp/sendpath.json")
  $tiny && send_path_args+=(--tiny)
  "${server_core[@]}" dotnet bench/SendPath/bin/Release/net10.0/DuckChat.Bench.SendPath.dll "${send_path_args[@]}" > "$tmp/sendpath.log"
  grep '^send path' "$tmp/sendpath.log" || true
  send_path=(--sendpath "$tmp/sendpath.json")
fi

# Search (issue 19): seeds its own database and searches it through the app's service, pinned as the server is.
if $search; then
  echo "== Search (issue 19)"
  search_args=(--out "$tmp/search.json")
  $tiny && search_args+=(--tiny)
  "${server_core[@]}" dotnet bench/Search/bin/Release/net10.0/DuckChat.Bench.Search.dll "${search_args[@]}" > "$tmp/search.log"
  sed -n '/^## Search/,$p' "$tmp/search.log" | grep -v '^Wrote ' > "$tmp/search.md"
  cat "$tmp/search.md"
fi
$harness || exit 0

# M2 holds thousands of sockets in each process.
ulimit -n 20000 2>/dev/null || echo "warning: could not raise the open-file limit to 20000 (M2 needs it)" >&2

$servers && echo "== M1, M3, M4, M6 in the browser; faithfulness and M2 with the circuit client; uploads over HTTP"
$servers || echo "== The report"
"${client_cores[@]}" dotnet bench/Harness/bin/Release/net10.0/DuckChat.Bench.Harness.dll \
  --duckchat "$tmp/publish/duckchat" --baseline "$tmp/publish/baseline" --out "$out" "${bus[@]}" "${send_path[@]}" "${harness_args[@]}"
