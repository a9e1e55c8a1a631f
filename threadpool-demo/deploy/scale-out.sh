#!/usr/bin/env bash
# N PxJ demo instances behind HAProxy on loopback, under load, through a rolling restart and a SIGKILL.
#
#   bash threadpool-demo/deploy/scale-out.sh [--instances 3] [--duration 30] [--rate 1000] [--port-base 18000]
#
# Starts HAProxy (haproxy.cfg next to this script, with generated server lines) on 127.0.0.1:PORT_BASE (stats on
# PORT_BASE+1) and N instances of `threadpool-demo.jar http` on PORT_BASE+11.., then three phases, each under the
# demo's `load http` through HAProxy (GET /plaintext, 8 connections, --rate requests/s in all):
#   baseline   5 s, nothing happens;
#   rolling    --duration s: every instance in turn gets SIGTERM (it drains: /readyz 503, 2 s more serving, then
#              stops accepting and finishes in-flight requests), the script waits for it to exit, starts it again
#              and waits until HAProxy has it UP again;
#   sigkill    --duration s: one instance gets SIGKILL (no drain at all); the script measures how long HAProxy
#              takes to mark it DOWN, then starts it again.
# One summary line per phase: requests, non-2xx, connection errors, HAProxy's retries (and for sigkill the time
# HAProxy took to mark the killed instance DOWN).
# Exit status: 0 when the rolling phase had no failed request (non-2xx or connection error), 1 when it had,
# 2 on a setup problem. The sigkill phase's failures are reported, not judged: HAProxy retries what it can.
# Installs Debian's haproxy when missing (apt-get; needs root); builds the jar when missing. Stops every process
# it started, by PID, on any exit. KEEP_WORK=1 keeps the logs (instances, HAProxy, load) for a look.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
die_usage() { echo "scale-out.sh: $1" >&2; echo >&2; usage >&2; exit 2; }
int_in() { [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || die_usage "$1 must be $3..$4: '$2'"; }

instances=3 duration=30 rate=1000 port_base=18000
while [ $# -gt 0 ]; do
  case "$1" in
    --instances|--duration|--rate|--port-base)
      [ $# -ge 2 ] || die_usage "$1 needs a value"
      case "$1" in
        --instances) int_in "$1" "$2" 2 20; instances="$2" ;;
        --duration) int_in "$1" "$2" 10 3600; duration="$2" ;;
        --rate) int_in "$1" "$2" 10 1000000; rate="$2" ;;
        --port-base) int_in "$1" "$2" 1024 65000; port_base="$2" ;;
      esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown argument '$1'" ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="$repo/threadpool-demo/target/threadpool-demo.jar"
front_port=$port_base
stats_port=$((port_base + 1))
drain_delay=2

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }

if ! command -v haproxy >/dev/null; then
  log "haproxy missing: installing Debian's haproxy"
  [ "$(id -u)" = 0 ] || { echo "scale-out.sh: haproxy is not installed and this is not root" >&2; exit 2; }
  { apt-get install -y --no-install-recommends haproxy || { apt-get update && apt-get install -y --no-install-recommends haproxy; }; } >/dev/null
fi
command -v curl >/dev/null || { echo "scale-out.sh: needs curl" >&2; exit 2; }
if [ ! -f "$jar" ]; then
  log "no $jar: building it (mvn -B -ntp -q -DskipTests package)"
  (cd "$repo" && mvn -B -ntp -q -DskipTests package)
fi

for p in $front_port $stats_port $(seq $((port_base + 11)) $((port_base + 10 + instances))); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "scale-out.sh: port $p is in use; choose another --port-base" >&2; exit 2
  fi
done

work="$(mktemp -d)"
haproxy_pid=""
load_pid=""
declare -a pids
cleanup() {
  local all="$load_pid ${pids[*]:-} $haproxy_pid"
  for pid in $all; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $all; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() { echo $((port_base + 10 + $1)); }

# The HAProxy configuration: haproxy.cfg with this run's ports and one server line per instance.
{
  sed -e "s/127\.0\.0\.1:18000/127.0.0.1:$front_port/" -e "s/127\.0\.0\.1:18001/127.0.0.1:$stats_port/" \
      -e '/^[[:space:]]*server pxj[0-9]/d' "$here/haproxy.cfg"
  for i in $(seq 1 "$instances"); do echo "    server pxj$i 127.0.0.1:$(port_of "$i")"; done
} > "$work/haproxy.cfg"
haproxy -c -q -f "$work/haproxy.cfg" || { echo "scale-out.sh: generated HAProxy configuration is invalid" >&2; exit 2; }

# The status HAProxy gives instance $1 ("UP", "DOWN", "UP 1/2"...), from the stats page's CSV.
haproxy_status() {
  curl -s -m 1 "http://127.0.0.1:$stats_port/stats;csv" | awk -F, -v s="pxj$1" '$1 == "pxj" && $2 == s { print $18 }'
}

# HAProxy's backend totals "retries redispatches" (wretr, wredis), from the stats page's CSV.
haproxy_retries() {
  curl -s -m 1 "http://127.0.0.1:$stats_port/stats;csv" | awk -F, '$1 == "pxj" && $2 == "BACKEND" { print $16 + 0, $17 + 0 }'
}

wait_status() { # instance, wanted status, timeout seconds
  local deadline=$((SECONDS + $3))
  while [ "$(haproxy_status "$1")" != "$2" ]; do
    [ $SECONDS -lt "$deadline" ] || { echo "scale-out.sh: pxj$1 not $2 in HAProxy after $3 s" >&2; exit 2; }
    sleep 0.1
  done
}

start_instance() { # instance number
  local i=$1 port
  port=$(port_of "$i")
  java -Xmx256m -jar "$jar" http --host 127.0.0.1 --port "$port" --index-keys 1000 --threads 1 \
      --drain-delay "$drain_delay" --name "pxj$i" >>"$work/pxj$i.out" 2>>"$work/pxj$i.log" &
  pids[$i]=$!
  local deadline=$((SECONDS + 60))
  until [ "$(curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "scale-out.sh: pxj$i exited at start (see $work/pxj$i.log)" >&2; exit 2; }
    [ $SECONDS -lt "$deadline" ] || { echo "scale-out.sh: pxj$i not ready after 60 s" >&2; exit 2; }
    sleep 0.1
  done
}

# Runs the load for $2 seconds in the background; the phase's output goes to $work/load-$1.txt.
start_load() {
  read -r retries0 redisp0 <<<"$(haproxy_retries)"
  java -Xmx256m -jar "$jar" load http -c 8 -d "$2" --rate "$rate" --threads 1 \
      "http://127.0.0.1:$front_port/plaintext" >"$work/load-$1.txt" 2>"$work/load-$1.log" &
  load_pid=$!
}

finish_load() { # phase; sets requests, non2xx, errors
  wait "$load_pid" || true
  load_pid=""
  local r d
  read -r r d <<<"$(haproxy_retries)"
  retried="HAProxy retried $((r - retries0)) and redispatched $((d - redisp0))"
  local f="$work/load-$1.txt"
  requests=$(awk '/requests completed/ { gsub(",", "", $3); print $3 }' "$f")
  errors=$(awk '$1 == "errors" { print $2 }' "$f")
  non2xx=$(awk '$1 == "status" { gsub(",", ""); print $3 + $7 + $9 + $11 + $13 }' "$f")
  if [ -z "$requests" ] || [ -z "$errors" ] || [ -z "$non2xx" ]; then
    echo "scale-out.sh: the load client printed no summary for phase $1:" >&2; cat "$f" "$work/load-$1.log" >&2
    exit 2
  fi
}

log "starting $instances instances on 127.0.0.1:$(port_of 1)..$(port_of "$instances") (logs in $work)"
for i in $(seq 1 "$instances"); do start_instance "$i"; done
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!
for i in $(seq 1 "$instances"); do wait_status "$i" UP 30; done
log "HAProxy on 127.0.0.1:$front_port (stats http://127.0.0.1:$stats_port/stats) has every instance UP"

declare -a summary

# Phase 1: baseline.
start_load baseline 5
finish_load baseline
summary+=("$(printf 'phase baseline: requests %d, non-2xx %d, connection errors %d (%s)' "$requests" "$non2xx" "$errors" "$retried")")
log "${summary[-1]}"

# Phase 2: rolling restart under load.
start_load rolling "$duration"
rolling_start=$SECONDS
sleep 2
for i in $(seq 1 "$instances"); do
  t0=$(date +%s%N)
  log "pxj$i: SIGTERM"
  kill -TERM "${pids[$i]}"
  wait_status "$i" DOWN 15
  log "pxj$i: HAProxy marked it DOWN after $(( ($(date +%s%N) - t0) / 1000000 )) ms (still draining)"
  wait "${pids[$i]}" || true # a JVM ended by SIGTERM exits with 143
  log "pxj$i: exited after $(( ($(date +%s%N) - t0) / 1000000 )) ms; starting it again"
  start_instance "$i"
  wait_status "$i" UP 30
  log "pxj$i: UP again after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
done
if kill -0 "$load_pid" 2>/dev/null; then
  log "rolling restart done after $((SECONDS - rolling_start)) s; the load goes on to the end of --duration"
else
  echo "scale-out.sh: the rolling restart outlasted the load (--duration $duration); use a longer --duration" >&2
  exit 2
fi
finish_load rolling
rolling_failed=$((non2xx + errors))
summary+=("$(printf 'phase rolling-restart: requests %d, non-2xx %d, connection errors %d (%s)' "$requests" "$non2xx" "$errors" "$retried")")
log "${summary[-1]}"

# Phase 3: SIGKILL one instance under load, start it again.
victim=$(( (instances + 1) / 2 ))
start_load sigkill "$duration"
sleep 2
t0=$(date +%s%N)
log "pxj$victim: SIGKILL"
kill -KILL "${pids[$victim]}"
wait "${pids[$victim]}" 2>/dev/null || true
wait_status "$victim" DOWN 30
down_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
log "pxj$victim: HAProxy marked it DOWN after $down_ms ms; starting it again"
start_instance "$victim"
wait_status "$victim" UP 30
log "pxj$victim: UP again"
finish_load sigkill
summary+=("$(printf 'phase sigkill: requests %d, non-2xx %d, connection errors %d (%s), HAProxy marked the killed instance DOWN after %d ms' \
  "$requests" "$non2xx" "$errors" "$retried" "$down_ms")")
log "${summary[-1]}"

logged=$(grep -c . "$work/haproxy.log" || true)
echo
echo "== scale-out: $instances instances behind HAProxy $(haproxy -v | head -1 | awk '{print $3}'), load $rate req/s over 8 connections"
for s in "${summary[@]}"; do echo "$s"; done
echo "HAProxy logged $logged line(s): failed or retried sessions and server state changes (KEEP_WORK=1 keeps them)"
if [ "$rolling_failed" -ne 0 ]; then
  echo "FAILED: $rolling_failed request(s) failed during the rolling restart"
  exit 1
fi
echo "OK: no failed request during the rolling restart"
