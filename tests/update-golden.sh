#!/usr/bin/env bash
# Regenerates fixtures/rules/*/bad-*.expected from the built binary. Review the diff before
# committing: the .expected files are the specification the tests hold the rules to.
set -euo pipefail
kfplint=${1:-build/kfplint}
for f in fixtures/rules/*/bad-*.yaml fixtures/rules/*/bad-*.json; do
  rule=$(basename "$(dirname "$f")")
  dir=$(dirname "$f")
  (cd "$dir" && "$OLDPWD/$kfplint" -q --color never --fail-on never --select "$rule" "$(basename "$f")") \
    > "${f%.*}.$(echo "${f##*.}").expected" || true
done
