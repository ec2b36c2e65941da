#!/usr/bin/env bash
# test_nvim.sh KFPLINT SRC_DIR — a real editor: Debian's Neovim (built-in LSP client), headless,
# runs `kfplint lsp` on a broken spec (tests/nvim_lsp.lua): the diagnostics arrive at the CLI's
# lines and columns, and after the fix-all code action the buffer is byte for byte what
# `kfplint --fix` writes. Exits 77 (skipped, loudly) where nvim is not installed.
set -u
kfplint=$1 src=$2
command -v nvim >/dev/null 2>&1 || { echo "SKIPPED LOUDLY: nvim is not installed (apt-get install neovim)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
for fixture in unknown-task/bad-display-name.yaml invalid-value/bad-string-for-int.yaml; do
  name=$(basename "$fixture")
  mkdir -p "$tmp/w"
  cp "$src/fixtures/rules/$fixture" "$tmp/w/$name"
  cp "$src/fixtures/rules/$fixture" "$tmp/expected.yaml"
  "$kfplint" --no-config --fix "$tmp/expected.yaml" > /dev/null 2>&1
  cmp -s "$tmp/expected.yaml" "$tmp/w/$name" && bad "$fixture: kfplint --fix changed nothing (no fix to test)"
  (cd "$tmp/w" && KFPLINT=$kfplint FILE=$name OUT=$tmp/out FIXED=$tmp/fixed.yaml \
     timeout 120 nvim --headless -u NONE -i NONE -n -c "luafile $src/tests/nvim_lsp.lua" > "$tmp/nvim.log" 2>&1)
  rc=$?
  [ $rc -eq 0 ] || { bad "$fixture: nvim exit $rc"; cat "$tmp/nvim.log" "$tmp/out" 2>/dev/null | head -20; continue; }
  grep -q '^diagnostics_arrived true' "$tmp/out" || bad "$fixture: no diagnostics reached Neovim"
  # the CLI's findings, line:col:rule, against what Neovim shows
  "$kfplint" --no-config --format json "$tmp/w/$name" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    print("diagnostic %d:%d:%s:kfplint" % (f["start"]["line"], f["start"]["column"], f["rule"]))' | sort > "$tmp/cli"
  grep '^diagnostic ' "$tmp/out" | sort > "$tmp/editor"
  cmp -s "$tmp/cli" "$tmp/editor" || { bad "$fixture: Neovim's diagnostics differ from the CLI's:"; diff "$tmp/cli" "$tmp/editor"; }
  grep -q '^action source.fixAll.kfplint' "$tmp/out" || bad "$fixture: no fix-all action offered"
  cmp -s "$tmp/fixed.yaml" "$tmp/expected.yaml" || { bad "$fixture: the buffer after fix-all differs from kfplint --fix:"; diff "$tmp/expected.yaml" "$tmp/fixed.yaml" | head; }
  rm -rf "$tmp/w" "$tmp/out" "$tmp/fixed.yaml"
done
[ $fail -eq 0 ] && echo "test_nvim: Neovim showed the CLI's diagnostics and fix-all matched kfplint --fix"
exit $fail
