#!/usr/bin/env bash
# PxJ benchmark harness: PxJ's demo servers against Netty 4.2 (epoll, nio, io_uring), the JDK HttpServer, a
# plain NIO.2 server, nginx (one worker) and the epoll floor (a minimal C server, built here with cc), on loopback,
# in interleaved rounds; the headline is requests per second of server CPU. Prints medians, median per-round
# ratios to Netty epoll and the servers' ordering per configuration (with ties), compares that ordering with the
# previous run's, and writes bench-results/latest.md, runs.csv and ordering.txt (the previous run's becomes
# ordering-previous.txt).
#
#   bash threadpool-demo/bench/run-bench.sh [--quick] [harness options...]
#
# --quick: 1 round, 3 s runs, 2 s warm-up (about 4 minutes). Default: 3 rounds, 10 s runs, 10 s warm-up.
# Pinning (default on Linux with taskset and >= 2 CPUs): every server runs under `taskset -c <last CPU>`, every
# load client (wrk, the demo's load, EchoLoad) under `taskset -c <the other CPUs>`; --pin SERVER_CPUS:CLIENT_CPUS
# (e.g. --pin 1:0, --pin 2-3:0-1) chooses, --no-pin turns it off. See README.md for why.
# Other options go to io.pxj.bench.Harness (--rounds N, --duration S, --warmup S, --servers a,b, --configs a,b,
# --echo-client auto|demo|bench, --http-client wrk|load, --baseline NAME, --portable, --strict, --strict-ordering
# (exit 4 when the ordering contradicts the previous run's), --port-base P, --no-alloc, --server-jvm-args '...');
# --no-build skips the Maven build. Windows: see README.md (no script needed).
# Every process started here is stopped on exit, Ctrl-C or failure (nginx's master takes its worker with it). taskset execs its command, so a pinned
# process keeps taskset's pid and its /proc/PID/cmdline is the server's or client's own: the check below matches.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$root/bench-results"
mkdir -p "$out"
pids="$out/pids"
harness_pid=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$harness_pid" ]] && kill -0 "$harness_pid" 2>/dev/null; then
    kill "$harness_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$harness_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$harness_pid" 2>/dev/null || true
  fi
  # Whatever the harness started and could not stop (it was killed, say): only our own children, checked by
  # their command line, never by name. (A `taskset -c N cmd` child has cmd's command line once taskset has
  # exec'd it, and both before: the patterns match either way.)
  if [[ -f "$pids" ]]; then
    while read -r pid; do
      [[ -n "$pid" ]] || continue
      if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qE 'pxj-bench\.jar|threadpool-demo\.jar|wrk|(^|/)ab -q|nginx: master|epoll-floor'; then
        kill "$pid" 2>/dev/null || true
        sleep 0.5
        kill -9 "$pid" 2>/dev/null || true
      fi
    done < "$pids"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build=1
args=()
for a in "$@"; do
  if [[ "$a" == "--no-build" ]]; then build=0; else args+=("$a"); fi
done

# The load clients and nginx, from Debian's packages when missing (ab is in apache2-utils; nginx lives in
# /usr/sbin, which a user's PATH may lack).
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v ab >/dev/null 2>&1 || missing+=(apache2-utils)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]} (Debian packages)..."
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}" >/dev/null; fi
fi

if [[ $build -eq 1 ]]; then
  echo "building the demo and bench jars (mvn -Pbench package)..."
  mvn -B -ntp -q -DskipTests -Pbench package
fi

jar="$root/threadpool-demo/bench/target/pxj-bench.jar"
[[ -f "$jar" ]] || { echo "no $jar: build failed?" >&2; exit 1; }

java -cp "$jar" io.pxj.bench.Harness --out "$out" --bench-jar "$jar" \
  --demo-jar "$root/threadpool-demo/target/threadpool-demo.jar" \
  --pipeline-lua "$root/threadpool-demo/bench/pipeline.lua" \
  --floor-source "$root/threadpool-demo/bench/src/main/c/epoll-floor.c" ${args[@]+"${args[@]}"} &
harness_pid=$!
wait "$harness_pid"
