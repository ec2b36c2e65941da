#!/usr/bin/env bash
# CLI tests on the built binary: exit codes, output format, options, usage errors.
set -u
K=$1
FIX=$2
fails=0 passed=0
t() { # name expected-exit command...
  local name=$1 want=$2; shift 2
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -20; fails=$((fails+1)); else passed=$((passed+1)); fi
}
has() { # name pattern (in $out)
  if ! grep -qF -- "$2" <<<"$out"; then echo "FAIL $1: output lacks: $2"; echo "$out" | head -20; fails=$((fails+1)); else passed=$((passed+1)); fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

t clean 0 "$K" "$FIX/examples/ml_pipeline.yaml"
has clean-summary "no problems found in 1 file"
t clean-json 0 "$K" "$FIX/examples/ml_pipeline.json"
t findings 1 "$K" --color never "$FIX/rules/unknown-task/bad-typo.yaml"
has format "bad-typo.yaml:110:11: error: unknown task 'trian' in dependentTasks: did you mean 'train'? [unknown-task]"
has caret "    |           ^~~~~"
has summary "1 error in 1 file (1 checked)"
t fail-on-never 0 "$K" --fail-on never "$FIX/rules/unknown-task/bad-typo.yaml"
t fail-on-warning 1 "$K" --fail-on warning "$FIX/rules/schema-version/bad-old.yaml"
t warning-below-threshold 0 "$K" "$FIX/rules/schema-version/bad-old.yaml"
t ignore 0 "$K" --ignore unknown-task "$FIX/rules/unknown-task/bad-typo.yaml"
t select-other 0 "$K" --select dag-cycle "$FIX/rules/unknown-task/bad-typo.yaml"
t unknown-rule 2 "$K" --select no-such-rule "$FIX/examples"
has unknown-rule-msg "kfplint: unknown rule 'no-such-rule'"
t unknown-option 2 "$K" --bogus "$FIX/examples"
has unknown-option-msg "Try 'kfplint --help'"
t missing-path 2 "$K" "$tmp/does-not-exist.yaml"
has missing-path-msg "cannot read"
mkdir "$tmp/empty"
t no-input 2 "$K" "$tmp/empty"
has no-input-msg "no *.yaml, *.yml or *.json files"
t no-args 2 "$K"
t help 0 "$K" --help
has help-text "Usage: kfplint [OPTIONS] PATH..."
t version 0 "$K" --version
has version-text "kfplint "
t list-rules 0 "$K" --list-rules
has list-dag-cycle "dag-cycle"
t explain 0 "$K" --explain dag-cycle
has explain-doc "## Why is this bad?"
t explain-unknown 2 "$K" --explain nope
t stdin 1 sh -c "'$K' --color never --stdin-filename pipe.yaml - < '$FIX/rules/unknown-task/bad-typo.yaml'"
has stdin-name "pipe.yaml:110:11:"
t quiet 1 "$K" -q "$FIX/rules/unknown-task/bad-typo.yaml"
if grep -q '\^' <<<"$out"; then echo "FAIL quiet: excerpt printed"; fails=$((fails+1)); else passed=$((passed+1)); fi
t output-file 1 "$K" -o "$tmp/report.txt" "$FIX/rules/unknown-task/bad-typo.yaml"
if grep -q "unknown-task" "$tmp/report.txt"; then passed=$((passed+1)); else echo "FAIL output-file"; fails=$((fails+1)); fi
t color-always 1 "$K" --color always "$FIX/rules/unknown-task/bad-typo.yaml"
has color-escape $'\033[1;31merror:'
t no-color-env 1 env NO_COLOR=1 "$K" --color auto "$FIX/rules/unknown-task/bad-typo.yaml"
# directory walk: unknown documents are skipped silently, named ones are reported
cp "$FIX/examples/ml_pipeline.yaml" "$tmp/p.yaml"; printf 'apiVersion: v1\nkind: ConfigMap\n' > "$tmp/cm.yaml"
t walk-skips-unknown 0 "$K" "$tmp"
has walk-count "no problems found in 1 file"
t explicit-unknown 1 "$K" "$tmp/cm.yaml"
has explicit-unknown-msg "[unknown-document]"
# hostile text is neutralised
printf 'pipelineInfo:\n  name: "bad\\e[31mname"\nroot: {dag: {tasks: {}}}\n' > "$tmp/esc.yaml"
t escape 1 "$K" --color never "$tmp/esc.yaml"
if grep -q $'\033' <<<"$out"; then echo "FAIL escape: raw ESC in output"; fails=$((fails+1)); else passed=$((passed+1)); fi
has escape-shown '\x1B[31m'
# -o never overwrites an input, however it is spelled, and a failed run never truncates a report
mkdir "$tmp/o" "$tmp/o/sub"; cp "$FIX/rules/unknown-task/bad-typo.yaml" "$tmp/o/sub/in.yaml"
ln -s sub/in.yaml "$tmp/o/link.yaml"
for spelling in "$tmp/o/sub/in.yaml" "$tmp/o/sub/../sub/./in.yaml" "$tmp/o/link.yaml"; do
  t "output-is-input" 2 "$K" -o "$spelling" "$tmp/o/sub/in.yaml"
  has output-is-input-msg "is the input"
done
t output-in-input-dir 2 "$K" -o "$tmp/o/sub/in.yaml" "$tmp/o"
printf 'rules:\n  unused-output: off\n' > "$tmp/o/cfg.yaml"; cp "$tmp/o/cfg.yaml" "$tmp/o/cfg.orig"
t output-is-config 2 "$K" --config "$tmp/o/cfg.yaml" -o "$tmp/o/cfg.yaml" "$FIX/examples/ml_pipeline.yaml"
if cmp -s "$tmp/o/cfg.yaml" "$tmp/o/cfg.orig"; then passed=$((passed+1)); else echo "FAIL -o overwrote the config"; fails=$((fails+1)); fi
t stdin-twice 2 sh -c "'$K' - - < '$FIX/examples/ml_pipeline.yaml'"
has stdin-twice-msg "given more than once"
if cmp -s "$tmp/o/sub/in.yaml" "$FIX/rules/unknown-task/bad-typo.yaml" && [ -L "$tmp/o/link.yaml" ]; then passed=$((passed+1)); else echo "FAIL -o overwrote an input"; fails=$((fails+1)); fi
printf 'old report\n' > "$tmp/o/report.txt"
t output-write-fails 2 bash -c "trap '' XFSZ; ulimit -f 1; exec '$K' -f json -o '$tmp/o/report.txt' '$FIX/examples'"
if [ "$(cat "$tmp/o/report.txt")" = "old report" ]; then passed=$((passed+1)); else echo "FAIL a failed run truncated the -o report"; fails=$((fails+1)); fi
if [ -z "$(find "$tmp/o" -name '.kfplint-*')" ]; then passed=$((passed+1)); else echo "FAIL -o left a temporary file"; fails=$((fails+1)); fi
ln -s report.txt "$tmp/o/rlink.txt"
t output-through-link 1 "$K" -o "$tmp/o/rlink.txt" "$FIX/rules/unknown-task/bad-typo.yaml"
if [ -L "$tmp/o/rlink.txt" ] && grep -q "unknown-task" "$tmp/o/report.txt"; then passed=$((passed+1)); else echo "FAIL -o replaced a symbolic link"; fails=$((fails+1)); fi
t output-dev-null 1 "$K" -o /dev/null "$FIX/rules/unknown-task/bad-typo.yaml"
if [ -c /dev/null ]; then passed=$((passed+1)); else echo "FAIL -o replaced /dev/null"; fails=$((fails+1)); fi
# examples: the README's command
t examples 1 "$K" "$FIX/examples"

# the man page documents exactly the options --help lists
MAN=$(dirname "$(realpath "$FIX")")/docs/kfplint.1
help_opts=$("$K" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
man_opts=$(sed 's/\\-/-/g' "$MAN" | grep -oE -- '--[a-z][a-z-]+' | sort -u)
if [ "$help_opts" = "$man_opts" ]; then passed=$((passed+1)); else echo "FAIL man page and --help differ:"; diff <(echo "$help_opts") <(echo "$man_opts"); fails=$((fails+1)); fi
if ! command -v man >/dev/null 2>&1; then
  echo "SKIPPED: man is not installed; the man page is not rendered"
elif MANWIDTH=80 man -l "$MAN" 2>&1 | grep -q -- '--write-baseline'; then passed=$((passed+1))
else echo "FAIL man page does not render"; fails=$((fails+1)); fi

# a report that cannot be written is exit 2 with a message, never a pass: every format, with
# and without -q, with findings and on a clean file (the summary alone), -o, and the other
# outputs (diff, the fixed text of stdin, help, rule list, effective config)
if [ -w /dev/full ]; then
  full() { # name expected-exit command... (stdout to /dev/full, stderr in $out)
    local name=$1 want=$2; shift 2
    out=$("$@" 2>&1 >/dev/full); rc=$?
    if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -5; fails=$((fails+1)); else passed=$((passed+1)); fi
  }
  bad=$FIX/rules/unknown-task/bad-typo.yaml clean=$FIX/examples/ml_pipeline.yaml
  for f in text json sarif github; do
    full "full-$f" 2 "$K" --no-config -f "$f" "$bad"
    has "full-$f-msg" "kfplint: writing the output to standard output failed: No space left on device"
    full "full-$f-q" 2 "$K" --no-config -q -f "$f" "$bad"
    has "full-$f-q-msg" "writing the output to standard output failed"
    [ "$f" = github ] && continue # a clean file gives no annotation: nothing to write
    full "full-$f-clean" 2 "$K" --no-config -f "$f" "$clean"
    has "full-$f-clean-msg" "writing the output to standard output failed"
  done
  full full-json-q-clean 2 "$K" --no-config -q -f json "$clean"
  full full-sarif-q-clean 2 "$K" --no-config -q -f sarif "$clean"
  for f in text json sarif github; do
    t "full-o-$f" 2 "$K" --no-config -f "$f" -o /dev/full "$bad"
    has "full-o-$f-msg" "kfplint: writing the output to '/dev/full' failed"
  done
  t full-o-dir 2 "$K" --no-config -o "$tmp/no/such/dir/r.txt" "$bad"
  has full-o-dir-msg "nothing written"
  full full-diff 2 "$K" --no-config --diff "$FIX/rules/env-invalid/bad-exact-duplicate.yaml"
  full full-fix-stdin 2 "$K" --no-config --fix - < "$FIX/rules/env-invalid/bad-exact-duplicate.yaml"
  full full-help 2 "$K" --help
  full full-list-rules 2 "$K" --list-rules
  full full-explain 2 "$K" --explain dag-cycle
  full full-print-config 2 "$K" --no-config --print-config "$bad"
  has full-print-config-msg "failed"
  t full-baseline 2 "$K" --no-config -q --write-baseline /dev/full "$bad"
  has full-baseline-msg "cannot write the baseline '/dev/full'"
fi

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
