#!/usr/bin/env bash
# Makes sure Wine (wine64) and mingw-w64 (x86_64-w64-mingw32-gcc) are installed: the Windows backend runs over
# them on Linux (the Wine bridge). Installs Debian's packages when missing (needs root and apt-get); prints what
# it did to stderr and exits non-zero, naming what is missing, when it cannot.
set -euo pipefail
have() { command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 && { [ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null 2>&1; }; }
have && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-wine: wine64 and x86_64-w64-mingw32-gcc are needed and this system has no apt-get;" \
       "install Wine (64-bit) and mingw-w64 yourself" >&2
  exit 2
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
pkgs="wine64 gcc-mingw-w64-x86-64"
echo "ensure-wine: installing $pkgs (once)" >&2
log=$(mktemp)
if ! $sudo apt-get install -y -q --no-install-recommends $pkgs >"$log" 2>&1; then
  $sudo apt-get update -q >>"$log" 2>&1 || true
  $sudo apt-get install -y -q --no-install-recommends $pkgs >>"$log" 2>&1 \
    || { tail -20 "$log" >&2; echo "ensure-wine: could not install $pkgs" >&2; rm -f "$log"; exit 2; }
fi
rm -f "$log"
have || { echo "ensure-wine: $pkgs installed but wine64 or x86_64-w64-mingw32-gcc is still missing" >&2; exit 2; }
