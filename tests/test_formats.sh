#!/usr/bin/env bash
# Machine-readable output on the built binary: JSON validates against docs/output.schema.json,
# SARIF passes the Microsoft SARIF Multitool with GitHub's rules (zero errors, zero warnings),
# fingerprints survive unrelated edits, GitHub annotations cannot be injected, hostile text
# stays valid. Usage: test_formats.sh KFPLINT REPO_ROOT
set -u
K=$(realpath "$1")
ROOT=$(realpath "$2")
CORPUS=$ROOT/fixtures/corpus
fails=0 passed=0
ok() { passed=$((passed+1)); }
bad() { echo "FAIL $*"; fails=$((fails+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# inputs: every fixture, the real corpus (fixtures/corpus) among them
sets=("$ROOT/fixtures")
# (invalid/ and v1-argo/ are named file by file too: a directory walk skips what is not KFP)
sets+=("$CORPUS/invalid/*" "$CORPUS/v1-argo/*")

# --- JSON against the schema
python3 - "$ROOT/docs/output.schema.json" <<'PY' || bad "python3 with jsonschema is needed (apt-get install python3-jsonschema)"
import sys, jsonschema, json
json.load(open(sys.argv[1]))
PY
i=0
for s in "${sets[@]}"; do
  i=$((i+1))
  # shellcheck disable=SC2086 # the glob in a set is meant to expand
  "$K" --format json -o "$tmp/out$i.json" $s 2>/dev/null
  rc=$?
  if [ $rc -gt 1 ]; then bad "json exit $rc on $s"; continue; fi
  if python3 - "$ROOT/docs/output.schema.json" "$tmp/out$i.json" <<'PY'
import sys, json, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema)
assert doc["summary"]["files_checked"] > 0
PY
  then ok; else bad "JSON output of $s does not validate"; fi
done

# --- SARIF through the Microsoft SARIF Multitool, GitHub rules
MT=${KFPLINT_SARIF_MULTITOOL:-}
for cand in "$MT" "${KFPLINT_TOOLS:-$HOME/.cache/kfplint-tools}/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"; do
  [ -n "$cand" ] && [ -x "$cand" ] && MT=$cand && break
done
if [ -z "$MT" ] || [ ! -x "$MT" ]; then
  echo "SKIPPED LOUDLY: SARIF Multitool not installed (.ci/run installs it with npm); SARIF not validated"
else
  i=0
  for s in "${sets[@]}"; do
    i=$((i+1))
    # shellcheck disable=SC2086
    "$K" --format sarif -o "$tmp/out$i.sarif" $s 2>/dev/null
    "$MT" validate --rule-kind "Gh;Sarif" -o "$tmp/val$i.sarif" "$tmp/out$i.sarif" > "$tmp/val$i.txt" 2>&1
    if grep -qE ': (error|warning) ' "$tmp/val$i.txt" || ! grep -q 'Analysis completed successfully' "$tmp/val$i.txt"; then
      bad "SARIF of $s fails the Multitool:"; grep -E ': (error|warning) ' "$tmp/val$i.txt" | head -5
    else ok; fi
  done
fi

# --- fingerprints stay the same when unrelated lines are added above (same file name, run from
# the file's directory so the path is the same too)
f=$ROOT/fixtures/rules/unknown-task/bad-typo.yaml
mkdir -p "$tmp/orig" "$tmp/shift"
cp "$f" "$tmp/orig/p.yaml"
{ printf '# a comment added above\n# and another one\n'; cat "$f"; } > "$tmp/shift/p.yaml"
sarif_fps() { (cd "$1" && "$K" --format sarif p.yaml | python3 -c '
import json,sys
d=json.load(sys.stdin)
for r in d["runs"][0]["results"]:
    fp = r["partialFingerprints"]
    print(r["ruleId"], fp["kfplint/v1"], fp["primaryLocationLineHash"], r["locations"][0]["physicalLocation"]["region"]["startLine"])'); }
json_fps() { (cd "$1" && "$K" --format json p.yaml | python3 -c '
import json,sys
print("\n".join(f["rule"]+" "+f["fingerprint"] for f in json.load(sys.stdin)["findings"]))'); }
a=$(sarif_fps "$tmp/orig"); b=$(sarif_fps "$tmp/shift")
if [ -n "$a" ] && [ "$(cut -d' ' -f1-3 <<<"$a")" = "$(cut -d' ' -f1-3 <<<"$b")" ] && [ "$a" != "$b" ]; then ok
else bad "SARIF fingerprints changed under a line shift: $a / $b"; fi
a=$(json_fps "$tmp/orig"); b=$(json_fps "$tmp/shift")
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else bad "JSON fingerprint changed under a line shift: $a / $b"; fi

# --- GitHub annotations cannot be injected
mkdir -p "$tmp/gh"
cat > "$tmp/gh/a,b:c%d.yaml" <<'YAML'
pipelineInfo:
  name: "evil\n::error file=x.yaml::injected %0A ,:"
root:
  dag:
    tasks:
      t:
        componentRef: {name: "comp-x\r\n::warning::also injected"}
schemaVersion: 2.1.0
YAML
out=$("$K" --format github "$tmp/gh")
n=$(grep -c '^::' <<<"$out")
lines=$(wc -l <<<"$out")
if [ "$n" = "$lines" ] && ! grep -q '::error file=x.yaml' <<<"$(grep -v '^::error file=' <<<"$out")" && grep -q 'file=.*a%2Cb%3Ac%25d.yaml' <<<"$out" && grep -q '%0A::error file=x.yaml' <<<"$out"; then ok
else bad "github annotations not escaped:"; echo "$out"; fi

# --- hostile text: ANSI escapes, control characters, invalid UTF-8 in a file name
printf 'pipelineInfo:\n  name: "a\\e[2J\\x07b"\nroot: {dag: {tasks: {}}}\n' > "$tmp/gh/hostile.yaml"
cp "$tmp/gh/hostile.yaml" "$tmp/gh/bad-$(printf '\xff\xfe').yaml"
"$K" --format json "$tmp/gh" > "$tmp/h.json" 2>/dev/null
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/h.json"; then ok; else bad "JSON with hostile input is not valid"; fi
"$K" --format sarif "$tmp/gh" > "$tmp/h.sarif" 2>/dev/null
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/h.sarif"; then ok; else bad "SARIF with hostile input is not valid"; fi
if "$K" --color never "$tmp/gh" | grep -q $'\033'; then bad "raw escape in text output"; else ok; fi

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
