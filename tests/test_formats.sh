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

# invalid UTF-8 and C1 controls (the 8-bit CSI) in a file name are %XX in annotations, never raw
mkdir -p "$tmp/gh8"; cp "$ROOT/fixtures/rules/unknown-task/bad-typo.yaml" "$tmp/gh8/$(printf 'b\xff\xc2\x9b\x1b.yaml')"
out=$("$K" --format github "$tmp/gh8")
if grep -q 'file=.*b%FF%C2%9B%1B.yaml' <<<"$out" && ! LC_ALL=C grep -q $'[\x80-\xff\x1b]' <<<"$out"; then ok
else bad "github annotations carry raw bytes of a file name:"; cat -v <<<"$out" | head -3; fi

# --- hostile text: ANSI escapes, control characters, invalid UTF-8 in a file name
printf 'pipelineInfo:\n  name: "a\\e[2J\\x07b"\nroot: {dag: {tasks: {}}}\n' > "$tmp/gh/hostile.yaml"
cp "$tmp/gh/hostile.yaml" "$tmp/gh/bad-$(printf '\xff\xfe').yaml"
"$K" --format json "$tmp/gh" > "$tmp/h.json" 2>/dev/null
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/h.json"; then ok; else bad "JSON with hostile input is not valid"; fi
"$K" --format sarif "$tmp/gh" > "$tmp/h.sarif" 2>/dev/null
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/h.sarif"; then ok; else bad "SARIF with hostile input is not valid"; fi
if "$K" --color never "$tmp/gh" | grep -q $'\033'; then bad "raw escape in text output"; else ok; fi
printf 'pipelineInfo:\n  name: "c1\\u009b2J"\nroot: {dag: {tasks: {}}}\n' > "$tmp/gh/c1.yaml"
"$K" --format json "$tmp/gh" > "$tmp/h.json" 2>/dev/null; "$K" --format sarif "$tmp/gh" > "$tmp/h.sarif" 2>/dev/null
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f-\xff]' "$tmp/h.json" "$tmp/h.sarif"; then bad "raw control or non-ASCII byte in JSON or SARIF output"; else ok; fi
if grep -q 'c1\\u009[Bb]2J' "$tmp/h.json"; then ok; else bad "C1 control not escaped in JSON"; fi

# --- SARIF file URIs: a relative path is a relative reference that cannot read as a scheme
# (`https:x.yaml`), with space, %, #, ? and non-ASCII percent-encoded; an absolute path outside
# the working directory is a file:// URI; both decode back to the file's path
mkdir -p "$tmp/uri/d"
for name in 'https:x.yaml' 'a b%#?é.yaml' 'c:d.yaml'; do cp "$ROOT/fixtures/rules/unknown-task/bad-typo.yaml" "$tmp/uri/d/$name"; done
(cd "$tmp/uri/d" && "$K" --format sarif . > "$tmp/uri.sarif" 2>/dev/null)
(cd / && "$K" --format sarif "$tmp/uri/d/https:x.yaml" > "$tmp/uri-abs.sarif" 2>/dev/null)
if python3 - "$tmp/uri.sarif" "$tmp/uri-abs.sarif" "$tmp/uri/d" <<'PY'
import json, sys, os, urllib.parse as up
want = set(os.listdir(sys.argv[3]))
seen = set()
for loc in (r["locations"][0]["physicalLocation"]["artifactLocation"] for r in json.load(open(sys.argv[1]))["runs"][0]["results"]):
    u = loc["uri"]
    assert loc.get("uriBaseId") == "%SRCROOT%", loc
    assert up.urlsplit(u).scheme == "" and ":" not in u.split("/")[0], u
    assert not any(c in u for c in " #?") and all(ord(c) < 128 for c in u), u
    seen.add(up.unquote(u))
assert seen == want, (seen, want)
for r in json.load(open(sys.argv[2]))["runs"][0]["results"]:
    u = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert u.startswith("file:///") and up.unquote(u[7:]) == os.path.join(sys.argv[3], "https:x.yaml"), u
PY
then ok; else bad "SARIF file URIs are not safe relative references"; fi
if [ -n "$MT" ] && [ -x "$MT" ]; then
  "$MT" validate --rule-kind "Gh;Sarif" -o "$tmp/uri-val.sarif" "$tmp/uri.sarif" > "$tmp/uri-val.txt" 2>&1
  if grep -qE ': (error|warning) ' "$tmp/uri-val.txt" || ! grep -q 'Analysis completed successfully' "$tmp/uri-val.txt"; then
    bad "SARIF with hostile file names fails the Multitool:"; grep -E ': (error|warning) ' "$tmp/uri-val.txt" | head -5
  else ok; fi
fi

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
