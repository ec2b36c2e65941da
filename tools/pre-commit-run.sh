#!/usr/bin/env bash
# Entry of the `kfplint-build` pre-commit hook: builds kfplint from the hook repository (once,
# into build-hook/ beside this script's repository) and runs it on the given files.
#
# pre-commit runs a hook in parallel chunks of files, so on a fresh cache several copies of this
# script start at once: the build is serialised with a lock (flock, or a lock directory where
# flock is missing), and a marker written after a successful build tells the others that the
# binary is complete. A failed build prints its log and fails every chunk (exit 2).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build-hook
bin=$build/kfplint
done_marker=$build/.kfplint-build-complete

build_once() {
  [ -f "$done_marker" ] && [ -x "$bin" ] && return 0 # another chunk built it while we waited
  rm -rf "$build"
  mkdir -p "$build"
  local jobs
  jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
  if ! { cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKFPLINT_TESTS=OFF &&
         cmake --build "$build" -j "$jobs"; } >"$repo/build-hook.log" 2>&1; then
    echo "kfplint-build: building kfplint failed (needs cmake, a C compiler, libyaml-dev," \
         "libjansson-dev, libpcre2-dev); the log:" >&2
    cat "$repo/build-hook.log" >&2
    rm -rf "$build"
    return 2
  fi
  touch "$done_marker"
}

if [ ! -f "$done_marker" ] || [ ! -x "$bin" ]; then
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$repo/build-hook.lock"
    flock 9
    rc=0; build_once || rc=$?
    flock -u 9
    exec 9>&-
  else
    lock=$repo/build-hook.lockdir
    until mkdir "$lock" 2>/dev/null; do sleep 1; done
    trap 'rmdir "$lock" 2>/dev/null' EXIT
    rc=0; build_once || rc=$?
    rmdir "$lock"
    trap - EXIT
  fi
  [ "$rc" -eq 0 ] || exit 2
fi
exec "$bin" "$@"
