#!/usr/bin/env bash
# Checks the demo's /metrics with Prometheus's own linter: `promtool check metrics` must pass.
#
#   threadpool-demo/scripts/check-metrics.sh [--jar PATH]
#
# Starts the demo jar's http server on an ephemeral loopback port, sends a few requests (so the latency histogram
# and the status classes have data), reads /metrics and pipes it to promtool. Stops the server by PID on any exit.
# Needs: java 17+, curl, promtool (Debian: apt-get install -y --no-install-recommends prometheus), a built jar.
# .ci/run runs it when promtool is installed. Exit 0 ok, 1 promtool found problems, 2 setup.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/../target/threadpool-demo.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || { echo "--jar needs a path" >&2; exit 2; }; jar="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (usage: check-metrics.sh [--jar PATH])" >&2; exit 2 ;;
  esac
done
[ -f "$jar" ] || { echo "no jar at $jar: build it first (mvn -B -ntp -q -DskipTests package)" >&2; exit 2; }
command -v promtool >/dev/null || { echo "no promtool (Debian: apt-get install -y --no-install-recommends prometheus)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

java -Xmx256m -jar "$jar" http --host 127.0.0.1 --port 0 --index-keys 1000 --drain-delay 0 >"$work/out" 2>"$work/log" &
server_pid=$!
base=""
for _ in $(seq 300); do
  base="$(sed -n 's|^PxJ http listening on \(http://[^ ]*\)/ .*|\1|p' "$work/out")"
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the demo server exited:" >&2; cat "$work/log" >&2; exit 2; }
  sleep 0.1
done
[ -n "$base" ] || { echo "the demo server did not start within 30 s" >&2; exit 2; }
for path in /plaintext /json /readyz /healthz /nope /plaintext; do curl -s -o /dev/null "$base$path"; done
curl -sf "$base/metrics" >"$work/metrics.txt"
echo "$(grep -c '^# TYPE' "$work/metrics.txt") metric families, $(grep -vc '^#' "$work/metrics.txt") samples from $base/metrics"
if promtool check metrics <"$work/metrics.txt"; then
  echo "promtool check metrics: OK ($(promtool --version 2>&1 | head -1))"
else
  echo "promtool check metrics: FAILED" >&2
  exit 1
fi
