#!/usr/bin/env bash
# Entry of the `kfplint-build` pre-commit hook: builds kfplint from the hook repository (once,
# into build-hook/ beside this script's repository) and runs it on the given files.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$repo/build-hook/kfplint
if [ ! -x "$bin" ]; then
  cmake -S "$repo" -B "$repo/build-hook" -DCMAKE_BUILD_TYPE=Release -DKFPLINT_TESTS=OFF >/dev/null
  cmake --build "$repo/build-hook" -j >/dev/null
fi
exec "$bin" "$@"
