#!/usr/bin/env bash
# Regenerates fixtures/rules/*/bad-*.expected (findings) and bad-*.fixed.* (the text after
# --fix --unsafe-fixes, only for fixtures that have fixes) from the built binary. Review the diff
# before committing: these files are the specification the tests hold the rules to.
set -euo pipefail
kfplint=$(realpath "${1:-build/kfplint}")
for f in fixtures/rules/*/bad-*.yaml fixtures/rules/*/bad-*.json; do
  case "$f" in *.fixed.*) continue ;; esac
  rule=$(basename "$(dirname "$f")")
  dir=$(dirname "$f")
  name=$(basename "$f")
  ext=${name##*.}
  # the goldens hold the findings alone: the text output's " [*]" (fixable) mark is dropped
  (cd "$dir" && "$kfplint" -q --color never --fail-on never --select "$rule" "$name" | sed 's/ \[\*\]$//') \
    > "${f%.*}.$ext.expected" || true
  tmp="$dir/.golden-$name"
  cp "$f" "$tmp"
  (cd "$dir" && "$kfplint" -q --fix --unsafe-fixes --fail-on never --select "$rule" ".golden-$name" >/dev/null 2>&1) || true
  if cmp -s "$f" "$tmp"; then rm -f "$tmp" "${f%.*}.fixed.$ext"; else mv "$tmp" "${f%.*}.fixed.$ext"; fi
done
