#!/usr/bin/env bash
# Checks that the live dashboard loads in headless Chromium and that its charts show data while a load runs.
#
#   threadpool-demo/scripts/dashboard-check.sh [--screenshot FILE.png] [--jar PATH]
#
# Starts the demo jar's http server on an ephemeral loopback port, runs the demo's own load generator against
# /plaintext (bounded: 20 s at most), lets Chromium run the page for 8 s of virtual time, dumps the DOM and
# checks what the page rendered: status "live", non-zero requests/s and request total, and non-empty charts
# (each <canvas> carries data-points / data-max of what it drew). Stops everything it started, by PID.
# KEEP_WORK=1 keeps the temporary folder (DOM dump, server/load/chromium logs) for a look.
# Needs: java 17+, chromium (Debian: apt-get install chromium), a built jar (mvn -B -ntp -q -DskipTests package).
# Kept out of 'mvn verify' on purpose: a fresh CI machine has no browser. Exit 0 ok, 1 check failed, 2 setup.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/../target/threadpool-demo.jar"
screenshot=""
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshot) screenshot="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -f "$jar" ] || { echo "no jar at $jar: build it first (mvn -B -ntp -q -DskipTests package)" >&2; exit 2; }
chrome="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$chrome" ] || { echo "no chromium on PATH (Debian: apt-get install -y chromium)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid="" load_pid=""
cleanup() {
  for pid in $load_pid $server_pid; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in $load_pid $server_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

java -jar "$jar" http --port 0 --host 127.0.0.1 --index-keys 100000 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=""
for _ in $(seq 600); do
  url="$(sed -n 's#^PxJ http listening on \(http://[^ ]*/\) .*#\1#p' "$work/server.out")"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start:" >&2; cat "$work/server.err" >&2; exit 1; }
echo "server: $url (pid $server_pid)"

java -jar "$jar" load http -c 8 -d 20 -p 4 "${url}plaintext" >"$work/load.out" 2>"$work/load.err" &
load_pid=$!
sleep 3 # the load is running and /stats has rolled a few one-second intervals

chrome_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --disable-dev-shm-usage --window-size=1400,1000
  --virtual-time-budget=8000)
timeout 60 "$chrome" "${chrome_flags[@]}" --user-data-dir="$work/profile" --dump-dom "$url" >"$work/dom.html" 2>"$work/chrome.err" || true
if [ -n "$screenshot" ]; then
  timeout 60 "$chrome" "${chrome_flags[@]}" --user-data-dir="$work/profile2" --screenshot="$screenshot" "$url" \
    >/dev/null 2>>"$work/chrome.err" || true
  [ -s "$screenshot" ] && echo "screenshot: $screenshot"
fi

fail=0
check() { # name, extended regex that must match the DOM
  if grep -Eq "$2" "$work/dom.html"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
nonzero='([1-9][0-9,.]*[0-9kMG]?|0\.[0-9]*[1-9][0-9]*)'
check "status is live"                  'id="status-text">live<'
check "backend named"                   'id="backend">[a-z]+<'
check "requests/s tile is non-zero"     "id=\"t-rps\">$nonzero<"
check "requests total is non-zero"      "id=\"t-total\">$nonzero<"
check "server time p50 tile has a value" 'id="t-p50">[0-9.,]+ (µs|ms|s)<'
check "handler time tile has values"    'id="t-handler">[0-9.,]+ (µs|ms|s) / [0-9.,]+ (µs|ms|s)<'
check "wiki index is on"                'id="t-wiki">100,000<'
for chart in rps lat conns threads arena; do
  check "chart $chart has points and a non-zero maximum" \
    "id=\"c-$chart\"[^>]*data-points=\"[1-9][0-9]*\"[^>]*data-max=\"$nonzero\""
done
check "wiki lookup listed keys"         '<ul id="results"><li[ >]'
check "a record was fetched and shown"  '<pre id="record"[^>]*>\{'

if [ "$fail" -ne 0 ]; then
  echo "--- DOM (first 4000 chars)"; head -c 4000 "$work/dom.html"; echo
  echo "--- chromium stderr (last lines)"; tail -5 "$work/chrome.err"
  exit 1
fi
echo "dashboard check passed"
