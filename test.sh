#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed".
# Browser tests need Debian's Chromium, the Redis tests a redis-server, the proxy tests nginx and the monitoring tests
# prometheus (with promtool); as root this installs them when missing, otherwise it says what to install (those tests
# then skip, or fail under CI=true).
set -uo pipefail
cd "$(dirname "$0")"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install with: sudo apt-get install -y ${missing[*]} (their tests skip until then)."
  fi
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
start=$(date +%s)
dotnet test DuckChat.sln --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$results" \
  | tee "$results/console.log"
status=${PIPESTATUS[0]}
echo "Test time: $(( $(date +%s) - start )) s"

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "No test results were written (the build or the test host failed)."
  echo "0 passed, 1 failed"
  exit 1
fi

# The names and messages of failed tests, just above the summary line, so that the end of a long log says what failed.
# Only a result's own tag says its outcome: the run's summary follows the last result in the file.
awk 'BEGIN { RS = "<UnitTestResult " } NR > 1 {
  tag = $0; sub(/>.*/, "", tag); if (tag !~ /outcome="Failed"/) next
  name = tag; sub(/.*testName="/, "", name); sub(/".*/, "", name)
  message = ""; if (match($0, /<Message>[^<]*<\/Message>/)) message = substr($0, RSTART + 9, RLENGTH - 19)
  gsub(/&quot;/, "\"", message); gsub(/&lt;/, "<", message); gsub(/&gt;/, ">", message); gsub(/&amp;/, "\\&", message)
  printf "FAILED %s\n  %s\n", name, substr(message, 1, 800)
}' "$trx"

# What failed the run without failing a test: a fixture that threw while it was disposed, or a crashed test host.
# xUnit prints such a message's first line as an error (the trx keeps that line alone) and its details on the lines
# after it, indented deeper.
awk '/^\[xUnit\.net [^]]*\] +\[[^]]*(Failure|ERROR|Catastrophic)/ { block = 30; indent = match($0, /\[[A-Z]/) }
  block > 0 && (match($0, /\[[A-Z]/) == indent || match($0, /^\[xUnit\.net [^]]*\]  +/) && RLENGTH > indent) {
    print "RUN ERROR " $0; block--; next }
  { block = 0 }' "$results/console.log"
# Fixtures that could not free what they held once their tests were done (DuckChat.Tests/Infrastructure/Teardown.cs):
# worth a look, but no test failed.
grep -o "TEARDOWN [^<]*" "$trx" | cut -c1-1500
grep -A3 -E "Test host process crashed|The active test run was aborted" "$results/console.log" | sed 's/^/RUN ERROR /'

counter() { grep -o "<Counters [^>]*" "$trx" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*"; }
passed=$(counter passed)
failed=$(counter failed)
total=$(counter total)
executed=$(counter executed)
skipped=$(( ${total:-0} - ${executed:-0} ))
[ "$skipped" -gt 0 ] && echo "${skipped} skipped"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then
  failed=1 # the run itself failed (e.g. a crashed test host) although no single test reported failure
fi
echo "${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-0}" -eq 0 ]
