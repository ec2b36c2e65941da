#!/usr/bin/env bash
# --fix and --diff on the built binary: --diff matches what --fix writes, --fix is idempotent,
# stdin --fix prints the fixed text, exit codes. Usage: test_fix.sh KFPLINT FIXTURES
set -u
K=$(realpath "$1")
FIX=$(realpath "$2")
fails=0 passed=0
ok() { passed=$((passed+1)); }
bad() { echo "FAIL $*"; fails=$((fails+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for fixed in "$FIX"/rules/*/bad-*.fixed.*; do
  dir=$(dirname "$fixed"); rule=$(basename "$dir")
  name=$(basename "$fixed" | sed 's/\.fixed\././')
  w=$tmp/$rule; mkdir -p "$w/a" "$w/b"
  [ -f "$dir/.kfplint.yaml" ] && cp "$dir/.kfplint.yaml" "$w/a/" && cp "$dir/.kfplint.yaml" "$w/b/"
  cp "$dir/$name" "$w/a/$name"; cp "$dir/$name" "$w/b/$name"
  (cd "$w/a" && "$K" --diff --unsafe-fixes --select "$rule" "$name" > ../d.patch); drc=$?
  [ $drc -eq 1 ] && ok || bad "$rule/$name: --diff exit $drc, want 1"
  (cd "$w/b" && "$K" -q --fix --unsafe-fixes --select "$rule" --fail-on never "$name" >/dev/null 2>&1)
  (cd "$w/a" && patch -s -p1 < ../d.patch) || bad "$rule/$name: the diff does not apply"
  cmp -s "$w/a/$name" "$w/b/$name" && ok || bad "$rule/$name: --diff differs from what --fix writes"
  cmp -s "$w/b/$name" "$fixed" && ok || bad "$rule/$name: --fix result differs from the golden file"
  before=$(md5sum < "$w/b/$name")
  (cd "$w/b" && "$K" -q --fix --unsafe-fixes --select "$rule" --fail-on never "$name" >/dev/null 2>&1)
  [ "$before" = "$(md5sum < "$w/b/$name")" ] && ok || bad "$rule/$name: a second --fix changed the file"
  (cd "$w/b" && "$K" --diff --unsafe-fixes --select "$rule" "$name" >/dev/null); [ $? -eq 0 ] && ok || bad "$rule/$name: --diff after --fix is not empty"
done

# unsafe fixes need --unsafe-fixes
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$tmp/u.yaml"
"$K" -q --fix --fail-on never "$tmp/u.yaml" >/dev/null 2>&1
cmp -s "$tmp/u.yaml" "$FIX/rules/unknown-task/bad-typo.yaml" && ok || bad "an unsafe fix was applied without --unsafe-fixes"

# stdin: the fixed text goes to stdout
out=$("$K" --fix --stdin-filename p.yaml - < "$FIX/rules/unknown-task/bad-display-name.yaml" 2>/dev/null)
cmp -s <(printf '%s\n' "$out") "$FIX/rules/unknown-task/bad-display-name.fixed.yaml" && ok || bad "stdin --fix did not print the fixed text"

# the remaining findings are reported after --fix
cp "$FIX/examples/broken_ml_pipeline.yaml" "$tmp/r.yaml"
out=$("$K" -q --fix "$tmp/r.yaml" 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "env-unset" <<<"$out" && ok || bad "--fix does not report what remains (rc=$rc)"

# a file that does not parse is never touched
printf 'pipelineInfo:\n  name: My_Name\n root: {}\n' > "$tmp/broken.yaml"
cp "$tmp/broken.yaml" "$tmp/broken.orig"
"$K" -q --fix --unsafe-fixes "$tmp/broken.yaml" >/dev/null 2>&1
cmp -s "$tmp/broken.yaml" "$tmp/broken.orig" && ok || bad "an unparsable file was modified"

t() { "$@" >/dev/null 2>&1; echo $?; }
[ "$(t "$K" --fix --diff "$tmp/r.yaml")" = 2 ] && ok || bad "--fix with --diff is not a usage error"
[ "$(t "$K" --unsafe-fixes "$tmp/r.yaml")" = 2 ] && ok || bad "--unsafe-fixes alone is not a usage error"

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
