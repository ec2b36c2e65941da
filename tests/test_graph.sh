#!/usr/bin/env bash
# test_graph.sh KFPLINT SRC_DIR [quick] — `kfplint graph`:
#  - golden DOT and Mermaid pictures (fixtures/graph/golden/; KFPLINT_UPDATE_GOLDEN=1 rewrites them);
#  - every finding of a picture's file is drawn (its line:col is in the picture);
#  - Graphviz renders every golden picture to SVG and PNG, and every real corpus file to SVG,
#    with nothing on stderr (no warning, no syntax error);
#  - Mermaid's own parser (npm `mermaid` in jsdom, installed by .ci/run) accepts every Mermaid
#    picture: loudly skipped where node or the package is missing;
#  - hostile names never put a raw control character into a picture;
#  - errors exit 2 with a message; a 50,000-task pipeline is drawn (node count checked).
# `quick` (the sanitizer build) draws a quarter of the corpus and does not render it.
set -u
kfplint=$1 src=$2 mode=${3:-full}
cd "$src" || exit 1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }

inputs=(fixtures/graph/nested.yaml fixtures/graph/hostile.yaml fixtures/examples/broken_ml_pipeline.yaml
        fixtures/examples/broken_ml_pipeline.json fixtures/examples/broken_preprocess_component.yaml
        fixtures/examples/ml_pipeline.yaml fixtures/rules/unknown-task/bad-typo.yaml
        fixtures/rules/unknown-task/bad-argo-graph.yaml fixtures/rules/argo-missing-dependency/bad-argo-race.json)
command -v dot >/dev/null 2>&1 || bad "Graphviz (dot) is not installed: apt-get install graphviz"

# --- golden pictures, every finding drawn, rendering
for f in "${inputs[@]}"; do
  name=$(basename "$f"); name=${name%.*}-${f##*.}
  for fmt in dot mermaid; do
    ext=$([ $fmt = dot ] && echo dot || echo mmd)
    out=$tmp/$name.$ext gold=fixtures/graph/golden/$name.$ext
    "$kfplint" graph --no-config --format $fmt "$f" > "$out" 2> "$tmp/err"
    rc=$?
    [ $rc -eq 0 ] || { bad "$f ($fmt): exit $rc: $(cat "$tmp/err")"; continue; }
    [ -s "$tmp/err" ] && bad "$f ($fmt): stderr: $(cat "$tmp/err")"
    if [ "${KFPLINT_UPDATE_GOLDEN:-}" = 1 ]; then mkdir -p fixtures/graph/golden; cp "$out" "$gold"; fi
    cmp -s "$out" "$gold" || { bad "$f ($fmt) differs from $gold:"; diff "$gold" "$out" | head -20; }
    LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$out" && bad "$f ($fmt): a raw control character in the picture"
  done
  # every finding is on the picture: its line:col is in a tooltip (DOT) or a label
  "$kfplint" --no-config --format json "$f" > "$tmp/f.json" 2>/dev/null
  python3 - "$tmp/f.json" "$tmp/$name.dot" "$tmp/$name.mmd" <<'PY' || bad "$f: a finding is missing from the picture"
import json, sys
report = json.load(open(sys.argv[1]))
dot, mmd = open(sys.argv[2]).read(), open(sys.argv[3]).read()
missing = 0
for fi in report["findings"]:
    where = "%d:%d " % (fi["start"]["line"], fi["start"]["column"])
    if where not in dot or fi["rule"] not in dot or fi["rule"] not in mmd:
        print("  not drawn: %s%s [%s]" % (where, fi["message"], fi["rule"]))
        missing += 1
sys.exit(1 if missing else 0)
PY
  if command -v dot >/dev/null 2>&1; then
    for T in svg png; do
      dot -T$T "$tmp/$name.dot" -o "$tmp/$name.$T" 2> "$tmp/dot.err" || bad "$f: dot -T$T failed"
      [ -s "$tmp/dot.err" ] && bad "$f: dot -T$T warned: $(head -3 "$tmp/dot.err")"
      [ -s "$tmp/$name.$T" ] || bad "$f: dot -T$T wrote nothing"
    done
  fi
done

# the picture shows what the issue asks for: the ghost of a misspelt task with a red edge, the
# cluster of each sub-DAG, the exit task, the data edge label
n=$tmp/nested-yaml.dot
grep -q 'label="trian\\n(no such task)", style="rounded,dashed"' "$n" || bad "nested: no ghost node for 'trian'"
grep -q -- '-> n[0-9]* \[label="Output → model\\n✗ unknown-task", color="#cf222e"' "$n" || bad "nested: the broken data edge is not red"
[ "$(grep -c 'subgraph cluster_' "$n")" = 3 ] || bad "nested: expected 3 clusters (exit handler, condition, loop)"
grep -q 'shape=octagon, label="notify\\ncomp-notify\\nruns at exit"' "$n" || bad "nested: the exit task is not marked"
grep -q 'label="✗ dag-cycle", color="#cf222e"' "$n" || bad "nested: the cycle's edge is not red"
m=$tmp/nested-yaml.mmd
grep -q '^  classDef error ' "$m" && grep -q ':::warning$' "$m" && grep -q 'linkStyle [0-9]* stroke:#cf222e' "$m" \
  || bad "nested (mermaid): severity classes or red links missing"

# --- the real corpus: every file draws, and Graphviz renders it without a word
corpus=fixtures/corpus
mkdir -p "$tmp/corpus"
count=0
while IFS= read -r -d '' f; do
  count=$((count + 1))
  [ "$mode" = quick ] && [ $((count % 4)) -ne 0 ] && continue # a quarter of it under the sanitizers
  out=$tmp/corpus/$count
  "$kfplint" graph --no-config "$f" > "$out.dot" 2> "$tmp/err" || { bad "$f: graph exit $?: $(head -c 300 "$tmp/err")"; continue; }
  "$kfplint" graph --no-config -f mermaid "$f" > "$out.mmd" 2> "$tmp/err" || bad "$f: graph -f mermaid failed"
  if [ "$mode" = full ] && command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$out.dot" -o /dev/null 2> "$tmp/dot.err" || bad "$f: dot -Tsvg failed"
    [ -s "$tmp/dot.err" ] && bad "$f: dot warned: $(head -2 "$tmp/dot.err")"
  fi
done < <(find "$corpus/v2-ir" "$corpus/pipelinejob" "$corpus/components-v2" "$corpus/components-v1" "$corpus/v1-argo" -type f \
           \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 2>/dev/null | sort -z)
[ $count -ge 100 ] || bad "corpus: only $count files drawn (is the corpus there?)"
echo "corpus: $count files drawn"

# --- Mermaid's own parser
tools=${KFPLINT_TOOLS:-$HOME/.cache/kfplint-tools}
if command -v node >/dev/null 2>&1 && [ -f "$tools/node_modules/mermaid/package.json" ] && [ -f "$tools/node_modules/jsdom/package.json" ]; then
  node tests/mermaid_check.mjs "$tools" "$tmp"/*.mmd "$tmp"/corpus/*.mmd > "$tmp/mm.out" 2>&1 \
    || { bad "Mermaid's parser rejected a picture:"; grep -v ' passed, ' "$tmp/mm.out" | head -10; }
  echo "Mermaid's parser accepted $(tail -1 "$tmp/mm.out" | cut -d' ' -f1) pictures"
else
  echo "SKIPPED LOUDLY: Mermaid syntax check (needs node and npm packages mermaid + jsdom in $tools: see .ci/run)"
fi

# --- errors: exit 2 and a message, nothing drawn
expect2() {
  local what=$1; shift
  "$@" > "$tmp/out" 2> "$tmp/err"; local rc=$?
  [ $rc -eq 2 ] || bad "$what: exit $rc, expected 2"
  [ -s "$tmp/err" ] || bad "$what: no message on stderr"
}
expect2 "missing file" "$kfplint" graph "$tmp/nope.yaml"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n' > "$tmp/deploy.yaml"
expect2 "not a KFP document" "$kfplint" graph "$tmp/deploy.yaml"
grep -q 'nothing to draw: not a KFP' "$tmp/err" || bad "not a KFP document: message: $(cat "$tmp/err")"
printf 'root:\n  dag: [\n' > "$tmp/broken.yaml"
expect2 "parse error" "$kfplint" graph "$tmp/broken.yaml"
grep -q 'broken.yaml: [0-9]*:[0-9]*: nothing to draw' "$tmp/err" || bad "parse error: no position: $(cat "$tmp/err")"
expect2 "unknown format" "$kfplint" graph --format png fixtures/graph/nested.yaml
expect2 "two files" "$kfplint" graph fixtures/graph/nested.yaml fixtures/graph/nested.yaml
expect2 "no file" "$kfplint" graph
if [ -w /dev/full ]; then
  expect2 "write to /dev/full" "$kfplint" graph -o /dev/full fixtures/graph/nested.yaml
  "$kfplint" graph fixtures/graph/nested.yaml > /dev/full 2> "$tmp/err"
  [ $? -eq 2 ] || bad "stdout on /dev/full: not exit 2"
fi
"$kfplint" graph --help | grep -q 'kfplint graph \[OPTIONS\] FILE' || bad "graph --help"
"$kfplint" graph - --stdin-filename in.yaml --no-config -f mermaid < fixtures/graph/nested.yaml > "$tmp/stdin.mmd" \
  || bad "graph from stdin"
grep -q 'title: "nested-pipeline · in.yaml' "$tmp/stdin.mmd" || bad "graph from stdin: title does not name --stdin-filename"
"$kfplint" graph --no-config -o "$tmp/o.dot" fixtures/graph/nested.yaml && cmp -s "$tmp/o.dot" "$tmp/nested-yaml.dot" \
  || bad "-o FILE differs from standard output"

# --- scale: 50,000 tasks in a chain (one shared component) draw as 50,000 nodes and edges
python3 - "$tmp/big.yaml" <<'PY'
import sys
n = 50000
with open(sys.argv[1], "w") as f:
    f.write("components:\n  comp-s:\n    executorLabel: exec-s\ndeploymentSpec:\n  executors:\n    exec-s:\n"
            "      container: {image: 'python:3.11', command: [echo]}\npipelineInfo: {name: big}\nroot:\n  dag:\n    tasks:\n")
    for i in range(n):
        dep = ", dependentTasks: [t%d]" % (i - 1) if i else ""
        f.write("      t%d: {componentRef: {name: comp-s}, taskInfo: {name: t%d}%s}\n" % (i, i, dep))
    f.write("schemaVersion: 2.1.0\nsdkVersion: kfp-2.7.0\n")
PY
"$kfplint" graph --no-config "$tmp/big.yaml" > "$tmp/big.dot" || bad "50,000 tasks: exit $?"
[ "$(grep -c 'shape=box, label="t' "$tmp/big.dot")" = 50000 ] || bad "50,000 tasks: not every task drawn"
[ "$(grep -c ' -> ' "$tmp/big.dot")" = 49999 ] || bad "50,000 tasks: not every edge drawn"

[ $fail -eq 0 ] && echo "test_graph: all checks passed"
exit $fail
