#!/usr/bin/env bash
# Hostile scale (issue #14): inputs generated here (tests/gen_scale.py) that once took gigabytes or
# minutes. Each run must stay under a memory bound (peak RSS of the kfplint process, from
# getrusage) and give the expected output: finding counts, a bounded list of related locations,
# a fail-closed exit 2. No wall-clock time is asserted; `timeout` only guards against hangs.
# Usage: test_scale.sh KFPLINT SOURCE_DIR
set -u
K=$(realpath "$1")
SRC=$(realpath "$2")
GEN=$SRC/tests/gen_scale.py
MAX_KB=${KFPLINT_SCALE_MAX_KB:-500000} # 500 MB: generous (ASan builds included), far below a blow-up
fails=0 passed=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

# run NAME WANT_EXIT ARGS... : runs kfplint, leaves stdout in out.txt and stderr in err.txt; fails
# when the exit code differs or the peak RSS exceeds MAX_KB
run() {
  local name=$1 want=$2; shift 2
  local res
  res=$(python3 - "$K" "$@" <<'PY'
import resource, subprocess, sys
with open("out.txt", "wb") as out, open("err.txt", "wb") as err:
    try:
        rc = subprocess.run(sys.argv[1:], stdout=out, stderr=err, timeout=600).returncode
    except subprocess.TimeoutExpired:
        rc = 124
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
  local rc=${res% *} kb=${res#* }
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, want $want"; head -c 600 err.txt; fails=$((fails+1)); return 1
  fi
  if [ "$kb" -gt "$MAX_KB" ]; then
    echo "FAIL $name: peak RSS $kb KB > $MAX_KB KB"; fails=$((fails+1)); return 1
  fi
  echo "ok   $name: exit $rc, peak RSS $kb KB"
  return 0
}

# check NAME PYTHON-EXPR : evaluates EXPR with `d` = the JSON report in out.txt, `dag` its
# dag-cycle findings, `err` = stderr
check() {
  if python3 - "$2" <<'PY'
import json, sys
d = json.load(open("out.txt"))
err = open("err.txt").read()
dag = [f for f in d["findings"] if f["rule"] == "dag-cycle"]
sys.exit(0 if eval("(" + sys.argv[1] + ")") else 1)
PY
  then passed=$((passed+1)); else echo "FAIL $1: not ($2)"; fails=$((fails+1)); fi
}

J=(--no-config --format json)
N=50000

# a cycle through 50,000 tasks (YAML and JSON): one finding, 12 edges + 1 with the count of the rest
for f in yaml json; do
  python3 "$GEN" task-cycle-$f $N cycle.$f
  if run task-cycle-$f 1 "${J[@]}" cycle.$f; then
    check task-cycle-$f "len(dag) == 1 and len(dag[0]['related']) == 13 and
      '(49988 more) -> t0' in dag[0]['message'] and
      dag[0]['related'][12]['message'] == \"'t12' depends on 't13' here (49987 more edges follow)\" and
      len(d['findings']) == 1"
  fi
done

# 50,000 components whose DAGs call each other in a chain: no cycle, nothing to report
python3 "$GEN" comp-chain $N chain.yaml
run comp-chain 0 "${J[@]}" chain.yaml && check comp-chain "d['findings'] == []"

# the same chain closed into a cycle (JSON): one finding with a bounded related list
python3 "$GEN" comp-cycle $N ccycle.json
if run comp-cycle 1 "${J[@]}" ccycle.json; then
  check comp-cycle "len(dag) == 1 and len(dag[0]['related']) == 13 and
    '(49988 more) -> comp-c0' in dag[0]['message'] and dag[0]['start']['line'] == 14"
fi

# 20,000 tasks on one JSON line, each with a misspelled dependency: one finding each, at its own
# column (counted in code points from the start of the line)
python3 "$GEN" misspelled-json 20000 mis.json
if run misspelled-json 1 "${J[@]}" mis.json; then
  check misspelled-json "len(d['findings']) == 19999 and
    all(f['rule'] == 'unknown-task' and f['start']['line'] == 1 for f in d['findings']) and
    len({f['start']['column'] for f in d['findings']}) == 19999 and
    all(open('mis.json', encoding='utf-8').read()[f['start']['column'] - 1:].startswith('\"tsak-')
        for f in d['findings'][:50] + d['findings'][-50:])"
  # the first findings still get a suggestion; the budget stops them, never a wrong one
  check misspelled-suggest "any('did you mean' in f['message'] for f in d['findings']) and
    all(f['message'].split(\"'\")[1].replace('tsak', 'task') == f['message'].split(\"'\")[3]
        for f in d['findings'] if 'did you mean' in f['message'])"
fi
# the same with text output: the source excerpt of a 2 MB line is skipped at a bounded cost
run misspelled-text 1 --no-config mis.json && {
  if [ "$(grep -c 'error: unknown task' out.txt)" = 19999 ]; then passed=$((passed+1));
  else echo "FAIL misspelled-text: want 19999 findings"; fails=$((fails+1)); fi; }

# 50,000 findings, each suppressed by a comment on its line (each finding finds its directive
# through an index, not a walk over every directive), and one suppression that suppresses nothing
python3 "$GEN" suppressed $N supp.yaml
run suppressed 0 "${J[@]}" supp.yaml &&
  check suppressed "[(f['rule'], f['start']['line']) for f in d['findings']] == [('unused-suppression', 50010)]"

# one component of 50,000 required inputs (args and env vars as many) and a task that passes
# 50,000 other names: each input is looked up in the task's arguments by hash, not by a walk
python3 "$GEN" wide $N wide.yaml
if run wide 1 --no-config -q wide.yaml; then # text: the JSON report of 100,000 findings is big
  if [ "$(grep -c '\[missing-input\]$' out.txt) $(grep -c '\[unknown-input\]$' out.txt) $(wc -l < out.txt)" = "50000 50000 100000" ]; then
    passed=$((passed+1)); else echo "FAIL wide: want 50,000 missing-input and 50,000 unknown-input findings"; fails=$((fails+1)); fi
fi

# a task passing 50,000 constants whose placeholders name inputs it does not have, and a task
# taking 50,000 undeclared outputs: each name is looked up by hash
python3 "$GEN" constants $N const.json
if run constants 1 --no-config --select unknown-input,unknown-output,unused-output -q const.json; then
  if [ "$(grep -c '\[unknown-input\]$' out.txt) $(grep -c '\[unknown-output\]$' out.txt) $(grep -c '\[unused-output\]$' out.txt)" = "50000 50000 50000" ]; then
    passed=$((passed+1)); else echo "FAIL constants: want 50,000 unknown-input, unknown-output and unused-output findings"; fails=$((fails+1)); fi
fi

# a backtracking custom rule (^(a+)+$ on 300 items of 60 a's and a '!'): the match limit stops
# it, and a pattern that cannot decide fails closed (exit 2, the rule, file and position),
# never "no match" -- a must-not-match rule would pass the very value it exists to catch
python3 "$GEN" custom-command 300 cmd.yaml
cat > bt.yaml <<'EOF'
custom-rules:
  - id: no-a-runs
    message: commands must not be runs of a
    field: command
    pattern: '^(a+)+$'
    mode: must-not-match
EOF
if run custom-backtracking 2 --format json --config bt.yaml cmd.yaml; then
  check custom-backtracking "\"cmd.yaml:10:13: rule 'no-a-runs': the pattern cannot be matched\" in err and
    'match limit' in err and len(d['errors']) == 1 and d['errors'][0]['path'] == 'cmd.yaml'"
fi
# a pattern that decides is unaffected: the same values under a plain pattern are findings
# (warnings, the default severity of a custom rule: exit 0)
sed -i "s/pattern: .*/pattern: '^a+!\$'/" bt.yaml
run custom-plain 0 --format json --config bt.yaml cmd.yaml &&
  check custom-plain "len(d['findings']) == 300 and d['errors'] == []"

# 50,000-byte image references that outgrow pcre2's JIT stack on the built-in image pattern: the
# interpreter decides (an invalid reference is a finding, exit 1), not "out of memory" (exit 2)
for img in 'a.' 'a-' 'a/'; do
  python3 - "$img" <<'PY'
import sys
text = open("cmd.yaml").read().replace('image: "gcr.io/p/x:1.0"', 'image: "%s!"' % (sys.argv[1] * 25000), 1)
open("img.yaml", "w").write(text)
PY
  run "image-$img" 1 "${J[@]}" img.yaml &&
    check "image-$img" "[f['rule'] for f in d['findings']] == ['image-missing'] and
      d['findings'][0]['start']['line'] == 8 and d['findings'][0]['start']['column'] == 16"
done

# a config pattern of 14 double stars on a path 25 directories deep: exponential before (each
# double star tried every split of the segments), one memoised pass now
d=deep; for i in $(seq 25); do d=$d/d; done
mkdir -p "$d" && cp cmd.yaml "$d/x.yaml"
printf 'exclude: ["%s"]\n' "$(python3 -c 'print("**/" * 14 + "nomatch.yaml")')" > ex.yaml
run glob-stars 0 --config ex.yaml -q deep # linted (not excluded): cmd.yaml is clean
printf 'exclude: ["%s"]\n' "$(python3 -c 'print("**/" * 14 + "x.yaml")')" > ex.yaml
run glob-stars-excluded 2 --config ex.yaml deep && { # nothing left to check: exit 2, and why
  if grep -q 'excluded by config (1)' out.txt; then passed=$((passed+1)); else echo "FAIL glob-stars-excluded: not excluded"; fails=$((fails+1)); fi; }

# alias fan-out (issue #16): 50,000 templates aliasing one anchored affinity of 1,000 match
# expressions, and 50,000 KFP executors aliasing one container of 1,000 v1 placeholder args (18 s /
# 2.4 GB at 5,000 aliases and 37 s / 7 GB before the walks looked into shared children once): the
# aliases expand each document 1,000-fold, past go-yaml's limit, so it is refused as argo and KFP's
# backend refuse it — one parse-error at an alias, in linear time and memory
python3 "$GEN" argo-alias $N alias.yaml
if run argo-alias 1 "${J[@]}" alias.yaml; then
  check argo-alias "len(d['findings']) == 1 and d['findings'][0]['rule'] == 'parse-error' and
    'excessive aliasing' in d['findings'][0]['message']"
fi
python3 "$GEN" kfp-alias $N kalias.yaml
if run kfp-alias 1 "${J[@]}" kalias.yaml; then
  check kfp-alias "len(d['findings']) == 1 and d['findings'][0]['rule'] == 'parse-error' and
    'excessive aliasing' in d['findings'][0]['message']"
fi

# the other Argo paths at 50,000 elements (20,000 for the biggest inputs; text output: the JSON of 100,000 findings is big):
# dangling-io on 50,000 unread inputs (none when each is read), unused-output on 50,000 templates'
# outputs, 50,000 tasks reading outputs, unknown keys at one level and deep, wrong-typed values,
# 50,000 {{=…}} tags in one string, 50,000 metrics
count() { # count NAME WANT: WANT is "rule=n rule=n ..." over out.txt's findings (and nothing else)
  local got
  got=$(sed -n 's/.*\[\([a-z-]*\)\]$/\1/p' out.txt | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')
  if [ "${got% }" = "$2" ] && [ "$(grep -vc '\]$' out.txt)" = 0 ]; then passed=$((passed+1));
  else echo "FAIL $1: got '$got', want '$2'"; fails=$((fails+1)); fi
}
A=(--no-config -q)
M=20000 # inputs of 10-20 MB at 50,000 (a template or task each): ASan builds pass 500 MB there
python3 "$GEN" argo-params-unused $N a.yaml
run argo-params-unused 0 "${A[@]}" --fail-on error a.yaml && count argo-params-unused "dangling-io=$N"
python3 "$GEN" argo-params-used $N a.yaml
run argo-params-used 0 "${A[@]}" a.yaml && count argo-params-used ""
python3 "$GEN" argo-outputs $M a.yaml
run argo-outputs 0 --config "$SRC/fixtures/rules/unused-output/.kfplint.yaml" -q a.yaml && # on: a note
  count argo-outputs "unused-output=$((2 * M))"
python3 "$GEN" argo-reads $M a.json
run argo-reads 0 "${A[@]}" a.json && count argo-reads ""
for k in flat deep; do
  python3 "$GEN" argo-unknown-$k $N a.yaml
  run argo-unknown-$k 1 "${A[@]}" a.yaml && count argo-unknown-$k "argo-unknown-field=$N"
done
python3 "$GEN" argo-unknown-many $M a.yaml
run argo-unknown-many 1 "${A[@]}" a.yaml && count argo-unknown-many "argo-unknown-field=$M argo-unused-template=$((M - 1))"
python3 "$GEN" argo-wrong-type $M a.json
run argo-wrong-type 1 "${A[@]}" a.json && count argo-wrong-type "argo-unused-template=$M invalid-type=$((2 * M))"
python3 "$GEN" argo-expr-tags $N a.yaml
run argo-expr-tags 1 "${A[@]}" a.yaml && count argo-expr-tags "argo-invalid-expression=$((N / 100))"
python3 "$GEN" argo-expr-big 90000 a.yaml # a 1 MiB expression
run argo-expr-big 1 "${A[@]}" a.yaml && count argo-expr-big "argo-invalid-expression=1"
python3 "$GEN" argo-metrics $N a.yaml
run argo-metrics 1 "${A[@]}" a.yaml && count argo-metrics "argo-missing-field=$((N / 2))"

echo "test_scale: $passed passed, $fails failed"
[ $fails -eq 0 ]
