#!/usr/bin/env bash
# Runs the demo's http or echo server on the Windows backend (IOCP + the Windows thread pool) on Linux: the
# backend's Win32 calls are executed by Wine through the Wine bridge (-Dpxj.win32.bridge=wine).
#
#   bash threadpool-demo/scripts/wine-demo.sh http --port 8080 --root DIR
#   bash threadpool-demo/scripts/wine-demo.sh echo --port 7007
#
# Options are the demo jar's own (java -jar threadpool-demo.jar COMMAND --help). On first use it installs Wine and
# mingw-w64 (Debian's packages) and builds the demo jar; the bridge's helper is built into target/wine then too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -lt 1 ] || { [ "$1" != http ] && [ "$1" != echo ]; }; then
  echo "usage: wine-demo.sh http|echo [OPTIONS]   (the demo's own options; e.g. http --port 8080 --root DIR)" >&2
  exit 64
fi
bash "$here/ensure-wine.sh"
jar="$root/threadpool-demo/target/threadpool-demo.jar"
if [ ! -f "$jar" ]; then
  echo "wine-demo: building $jar (once)" >&2
  (cd "$root" && mvn -B -ntp -q -DskipTests package -pl threadpool-demo -am)
fi
exec java -Dpxj.win32.bridge=wine -Dpxj.wine.home="$root/target/wine" -Dpxj.backend=windows -jar "$jar" "$@"
