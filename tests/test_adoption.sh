#!/usr/bin/env bash
# Adoption tests on the built binary (issue #17): skipped files with reasons in every format,
# the run that checks nothing, and the other points of dropping kfplint into a repository.
set -u
K=$(realpath "$1")
ROOT=$(realpath "$2")
FIX=$ROOT/fixtures
fails=0 passed=0
t() { # name expected-exit command...
  local name=$1 want=$2; shift 2
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -20; fails=$((fails+1)); else passed=$((passed+1)); fi
}
has() { # name pattern (in $out)
  if ! grep -qF -- "$2" <<<"$out"; then echo "FAIL $1: output lacks: $2"; echo "$out" | head -20; fails=$((fails+1)); else passed=$((passed+1)); fi
}
lacks() { # name pattern (not in $out)
  if grep -qF -- "$2" <<<"$out"; then echo "FAIL $1: output has: $2"; echo "$out" | head -20; fails=$((fails+1)); else passed=$((passed+1)); fi
}
ok() { # name command... (succeeds)
  local name=$1; shift
  if "$@"; then passed=$((passed+1)); else echo "FAIL $name"; fails=$((fails+1)); fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# --- 2. skipped files: counted with a reason in every format; a run that checks nothing fails
d=$tmp/skip; mkdir "$d"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n' >"$d/deploy.yaml"
printf 'apiVersion: argoproj.io/v1alpha1\nkind: Sensor\nspec: {}\n' >"$d/wf.yaml"  # Argo Events, not a workflow kind
printf 'apiVersion: tekton.dev/v1\nkind: Pipeline\n' >"$d/tekton.yaml"
printf '\x00\x01binary' >"$d/blob.json"
: >"$d/empty.yml"
printf -- '- a\n- b\n' >"$d/list.yaml"
printf 'repos: []\n' >"$d/.pre-commit-config.yaml"
t nothing-checked 2 "$K" "$d"
has nothing-checked-loud "kfplint: error: no KFP file was checked (7 files skipped:"
has nothing-checked-hint "pass --skip-unknown"
has nothing-checked-text "no KFP file checked"
t nothing-checked-ok 0 "$K" --skip-unknown "$d"
has skip-binary "binary file (1)"
has skip-empty "empty file (1)"
has skip-argo "Argo Sensor (not supported) (1)"
has skip-k8s "not a KFP document: Kubernetes Deployment (1)"
has skip-other-kind "not a KFP document: Pipeline (tekton.dev/v1) (1)"
has skip-list "not a KFP document: the top level is a list (1)"
has skip-keys "not a KFP document: no pipelineInfo/root, pipelineSpec or implementation (1)"
t nothing-checked-diff 2 "$K" --diff "$d"
t nothing-checked-json 2 "$K" -f json -o "$tmp/skip.json" "$d"
cp "$FIX/examples/ml_pipeline.yaml" "$d/"
printf 'exclude: ["wf.yaml"]\n' >"$d/.kfplint.yaml"
t skipped-some 0 "$K" "$d"
has skipped-some-summary "no problems found in 1 file"
has skipped-some-count "8 files skipped:"
has skipped-config "kfplint config (1)"
has skipped-excluded "excluded by config (1)"
lacks skipped-excluded-argo "Argo Sensor"
t skipped-json 0 "$K" -f json -o "$tmp/skip.json" "$d"
ok skipped-json-content python3 - "$ROOT/docs/output.schema.json" "$tmp/skip.json" <<'PY'
import json, sys
import jsonschema
schema, doc = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.validate(doc, schema)
reasons = {s["path"].rsplit("/", 1)[1]: s["reason"] for s in doc["skipped"]}
assert doc["summary"]["files_skipped"] == 8 == len(reasons), doc["summary"]
assert doc["summary"]["files_checked"] == 1
assert reasons["blob.json"] == "binary file", reasons
assert reasons["wf.yaml"] == "excluded by config", reasons
assert reasons["deploy.yaml"] == "not a KFP document: Kubernetes Deployment", reasons
PY
t skipped-sarif 0 "$K" -f sarif -o "$tmp/skip.sarif" "$d"
ok skipped-sarif-content python3 - "$tmp/skip.sarif" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
skipped = [n for n in notes if n["descriptor"]["id"] == "skipped-file"]
assert len(skipped) == 8, notes
by_uri = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1]: n for n in skipped}
assert by_uri["tekton.yaml"]["level"] == "note"
assert "not a KFP document: Pipeline (tekton.dev/v1)" in by_uri["tekton.yaml"]["message"]["text"]
PY
t skipped-github 0 "$K" -f github "$d"
has skipped-github-notice "::notice title=kfplint::8 files skipped: "

# --- 3. unused-output reports only on request, and never outputs no task could consume
mkdir "$tmp/uo0"; cp "$FIX/rules/unused-output/bad-unused.yaml" "$tmp/uo0/" # no .kfplint.yaml beside it
t unused-output-off 0 "$K" --fail-on note "$tmp/uo0/bad-unused.yaml"
lacks unused-output-off-msg "unused-output"
t unused-output-select 1 "$K" --fail-on note --select unused-output "$FIX/rules/unused-output/bad-unused.yaml"
has unused-output-select-msg "output 'loss' of component 'comp-evaluate' is never consumed"
mkdir "$tmp/uo"; cp "$FIX/rules/unused-output/bad-unused.yaml" "$FIX/rules/unused-output/ok-platform-outputs.yaml" "$tmp/uo/"
printf 'rules:\n  unused-output: note\n' >"$tmp/uo/.kfplint.yaml"
t unused-output-config 1 "$K" --fail-on note "$tmp/uo"
has unused-output-config-msg "bad-unused.yaml:18:9: note: output 'loss' of component 'comp-evaluate' is never consumed"
lacks unused-output-platform "ok-platform-outputs.yaml:"
t list-rules-off 0 "$K" --list-rules
has list-rules-off-msg "(off by default)"

# --- 4. baseline paths are relative to the baseline file: any spelling, any working directory
r=$tmp/repo; mkdir -p "$r/pipelines/sub"
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$r/pipelines/a.yaml"
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$r/pipelines/sub/b.yaml"
t baseline-write 0 bash -c "cd '$r' && '$K' --no-config --write-baseline .kfplint-baseline.json pipelines/"
ok baseline-v2-relative python3 - "$r/.kfplint-baseline.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["kfplint_baseline"] == 2, doc
paths = sorted({f["path"] for f in doc["findings"]})
assert paths == ["pipelines/a.yaml", "pipelines/sub/b.yaml"], paths
PY
t baseline-same 0 bash -c "cd '$r' && '$K' --no-config --baseline .kfplint-baseline.json pipelines/"
t baseline-dot 0 bash -c "cd '$r' && '$K' --no-config --baseline .kfplint-baseline.json ./pipelines"
t baseline-dotdot 0 bash -c "cd '$r' && '$K' --no-config --baseline .kfplint-baseline.json pipelines/sub/../"
t baseline-abs 0 "$K" --no-config --baseline "$r/.kfplint-baseline.json" "$r/pipelines"
t baseline-subdir 0 bash -c "cd '$r/pipelines' && '$K' --no-config --baseline ../.kfplint-baseline.json . sub/b.yaml"
t baseline-elsewhere 0 bash -c "cd / && '$K' --no-config --baseline '$r/.kfplint-baseline.json' '$r/pipelines/sub/b.yaml'"
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$r/pipelines/new.yaml"
t baseline-new-file 1 bash -c "cd '$r/pipelines' && '$K' --no-config --baseline ../.kfplint-baseline.json ."
has baseline-new-file-msg "new.yaml:110:11: error: unknown task 'trian'"
lacks baseline-old-file "a.yaml:"
# the baseline written from a subfolder is the same file
t baseline-write-subdir 0 bash -c "cd '$r/pipelines' && rm new.yaml && '$K' --no-config --write-baseline ../b2.json a.yaml ./sub"
ok baseline-write-same cmp "$r/.kfplint-baseline.json" "$r/b2.json"
# a version-1 baseline (paths as spelled, fingerprints of that spelling) still loads and matches
t baseline-v1-make 1 bash -c "cd '$r' && '$K' --no-config -f json -o out.json pipelines/a.yaml"
python3 - "$r/out.json" "$r/v1.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
v1 = {"kfplint_baseline": 1, "findings": [{k: f[k] for k in ("rule", "path", "fingerprint")} for f in doc["findings"]]}
json.dump(v1, open(sys.argv[2], "w"))
PY
t baseline-v1 0 bash -c "cd '$r' && '$K' --no-config --baseline v1.json pipelines/a.yaml"
t baseline-v1-other-spelling 1 bash -c "cd '$r' && '$K' --no-config --baseline v1.json ./pipelines/a.yaml"

# --- 7. config: every error at once, unused ignore entries, warn, --print-config round trip
c=$tmp/cfg; mkdir -p "$c/old"
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$c/typo.yaml"
cat >"$c/.kfplint.yaml" <<'YAML'
rules:
  unknown-task: warn
  no-such-rule: error
  dag-cycle: loud
ignore:
  - {path: "typo.yaml", rules: [unknown-tsk]}
  - 7
bogus: 1
YAML
t config-all-errors 2 "$K" "$c"
has config-err-1 ".kfplint.yaml:3:3: config error: unknown rule 'no-such-rule'"
has config-err-2 ".kfplint.yaml:4:14: config error: severity must be error, warning (or warn), note or off, not 'loud'"
has config-err-3 ".kfplint.yaml:6:33: config error: unknown rule 'unknown-tsk' in ignore.rules"
has config-err-4 ".kfplint.yaml:7:5: config error: an ignore entry must be a mapping"
has config-err-5 ".kfplint.yaml:8:1: config error: unknown key 'bogus' in the config"
cat >"$c/.kfplint.yaml" <<'YAML'
custom-rules:
  - {id: a, message: m, field: image, pattern: "(unclosed"}
  - {id: b, message: m, field: nowhere, pattern: x}
  - 5
  - {id: c, message: m, field: image, pattern: "^ok$"}
YAML
t config-all-custom-errors 2 "$K" "$c"
has config-custom-err-1 ".kfplint.yaml:2:58: config error: invalid pattern: missing closing parenthesis"
has config-custom-err-2 ".kfplint.yaml:3:32: config error: field must be one of"
has config-custom-err-3 ".kfplint.yaml:4:5: config error: a custom rule must be a mapping"
cat >"$c/.kfplint.yaml" <<'YAML'
rules:
  unknown-task: warn
  image-registry: {severity: error, allowed: [gcr.io/ml-team, "docker.io/library"]}
  env-unset: {provided: [MY_VAR], defaults: {OTHER: "a \"quoted\" value"}}
  image-digest: {enabled: true, pins: {"gcr.io/x/y:1": "gcr.io/x/y@sha256:0000000000000000000000000000000000000000000000000000000000000000"}}
exclude: ["vendor/**", "*.generated.yaml"]
ignore:
  - {path: "typo.yaml", rules: [unknown-task]}
  - {path: "old/*.yaml", rules: [schema-version]}
  - {path: "typo.yaml", rules: [dag-cycle], tasks: [train]}
  - {path: "typo.yaml", rules: [unused-output]}
custom-rules:
  - {id: no-latest, severity: note, field: image, mode: must-not-match, message: "no ':latest' \\ please", pattern: ':latest$'}
YAML
t config-warn 0 "$K" --fail-on error "$c"
has ignore-unused-path ".kfplint.yaml:9:5: warning: ignore entry for 'old/*.yaml' dropped no finding in this run (no linted file matches its path)"
has ignore-unused-rule ".kfplint.yaml:10:5: warning: ignore entry for 'typo.yaml' dropped no finding in this run (1 linted file matches its path)"
lacks ignore-used ".kfplint.yaml:8:5"
lacks ignore-rule-off ".kfplint.yaml:11:5"
t config-warn-quiet 0 "$K" -q "$c"
lacks ignore-unused-quiet "dropped no finding"
sed -i 's/rules: \[unknown-task\]}/rules: [missing-input]}/' "$c/.kfplint.yaml"
t config-warn-sev 0 "$K" --fail-on error "$c"
has config-warn-sev-msg "typo.yaml:110:11: warning: unknown task 'trian'"
t print-config 0 "$K" --print-config "$c/typo.yaml"
printf '%s\n' "$out" >"$tmp/printed.yaml"
has print-config-warning "  unknown-task: warning"
t print-config-reload 0 "$K" --config "$tmp/printed.yaml" --print-config "$c/typo.yaml"
ok print-config-fixpoint diff <(grep -v '^# from:' "$tmp/printed.yaml") <(printf '%s\n' "$out" | grep -v '^# from:')
mkdir "$c/vendor"; cp "$c/typo.yaml" "$c/vendor/x.yaml"
a=$("$K" -f json --config "$c/.kfplint.yaml" "$c" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps([d["findings"], d["skipped"]]))')
cp "$tmp/printed.yaml" "$c/printed.yaml"
sed -i 's/^exclude: \[/exclude: ["printed.yaml", /' "$c/printed.yaml"
sed -i 's/^exclude: \["vendor/exclude: [".kfplint.yaml", "printed.yaml", "vendor/' "$c/.kfplint.yaml"
a=$("$K" -f json --config "$c/.kfplint.yaml" "$c" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps([d["findings"], d["skipped"]]))')
sed -i 's/^exclude: \[/exclude: [".kfplint.yaml", /' "$c/printed.yaml"
b=$("$K" -f json --config "$c/printed.yaml" "$c" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps([d["findings"], d["skipped"]]))')
ok print-config-same-lint [ -n "$a" ] && [ "$a" = "$b" ]

# --- 5. fix UX: [*] on fixable findings, fix counts in the summary, an empty --diff says why,
# --statistics
t fix-mark 1 "$K" --fail-on warning --color never "$FIX/rules/image-unpinned/bad-untagged.yaml"
has fix-mark-star "[image-unpinned] [*]"
has fix-summary "[*] 1 fix available with --fix"
t fix-hidden 1 "$K" --no-config --color never "$FIX/rules/unknown-task/bad-typo.yaml"
lacks fix-hidden-star "[*]"
has fix-hidden-summary "no safe fixes; 1 hidden (use --fix --unsafe-fixes)"
t diff-unsafe-only 0 "$K" --no-config --diff "$FIX/rules/unknown-task/bad-typo.yaml"
has diff-unsafe-only-msg "kfplint: no safe fixes to show; 1 unsafe fix hidden (use --diff --unsafe-fixes)"
t diff-unsafe 1 "$K" --no-config --diff --unsafe-fixes "$FIX/rules/unknown-task/bad-typo.yaml"
has diff-unsafe-hunk "+        - train"
t diff-nothing 0 "$K" --no-config --diff "$FIX/examples/ml_pipeline.yaml"
has diff-nothing-msg "kfplint: nothing to fix"
t statistics 1 "$K" --statistics "$FIX/rules/unknown-task" "$FIX/rules/image-unpinned"
has statistics-head "  count fixable  unsafe  rule"
ok statistics-rows python3 - "$out" <<'PY'
import sys
rows = {}
for line in sys.argv[1].splitlines()[1:-1]:
    count, safe, unsafe, rule = line.split()[:4]
    rows[rule] = (int(count), int(safe), int(unsafe))
assert rows["unknown-task"][0] >= 1 and rows["unknown-task"][2] >= 1, rows
assert rows["image-unpinned"][1] >= 1, rows
counts = [r[0] for r in rows.values()]
total = sum(counts)
last = sys.argv[1].splitlines()[-1]
assert last.startswith(f"{total} findings, {sum(r[1] for r in rows.values())} fixable with --fix, {sum(r[2] for r in rows.values())} more"), last
PY
t statistics-format 2 "$K" --statistics -f json "$FIX/examples"

# --- 6. GitLab Code Quality (against GitLab's documented fields) and JUnit XML (read by
# junitparser, a real consumer, and checked well-formed by xmllint)
g=$tmp/gl; mkdir -p "$g/pipes"
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$FIX/rules/duplicate-key/bad-two-images.json" "$FIX/examples/ml_pipeline.yaml" "$g/pipes/"
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$g/pipes/we<i>rd&\"name.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\n' >"$g/pipes/cm.yaml"
t gitlab 1 bash -c "cd '$g' && '$K' --no-config -f gitlab -o gl.json ./pipes"
ok gitlab-schema python3 - "$ROOT/tests/gitlab-codequality.schema.json" "$g/gl.json" <<'PY'
import json, sys
import jsonschema
schema, doc = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.validate(doc, schema)
assert len(doc) >= 3, doc
fps = [i["fingerprint"] for i in doc]
assert len(fps) == len(set(fps)), "fingerprints must be unique"
typo = [i for i in doc if i["location"]["path"] == "pipes/bad-typo.yaml"]
assert typo and typo[0]["check_name"] == "unknown-task" and typo[0]["severity"] == "major", typo
assert typo[0]["location"]["lines"]["begin"] == 110 and typo[0]["location"]["positions"]["begin"] == {"line": 110, "column": 11}, typo
assert any(i["location"]["path"] == 'pipes/we<i>rd&"name.yaml' for i in doc)
PY
t gitlab-clean 0 "$K" --no-config -f gitlab "$FIX/examples/ml_pipeline.yaml"
has gitlab-clean-empty "[]"
t junit 1 bash -c "cd '$g' && '$K' --no-config -f junit -o junit.xml ./pipes"
if command -v xmllint >/dev/null 2>&1; then ok junit-wellformed xmllint --noout "$g/junit.xml"; else echo "FAIL xmllint is needed (apt-get install libxml2-utils)"; fails=$((fails+1)); fi
py=
for cand in python3 /usr/bin/python3; do "$cand" -c 'import junitparser' 2>/dev/null && { py=$cand; break; }; done
if [ -z "$py" ]; then echo "FAIL python3-junitparser is needed (apt-get install python3-junitparser)"; fails=$((fails+1)); else
ok junit-consumer "$py" - "$g/junit.xml" <<'PY'
import sys
from junitparser import JUnitXml, Failure, Skipped, Error
xml = JUnitXml.fromfile(sys.argv[1])
suites = {s.name: s for s in xml}
assert set(suites) == {"./pipes/" + n for n in ("bad-typo.yaml", "bad-two-images.json", "ml_pipeline.yaml", 'we<i>rd&"name.yaml', "cm.yaml")}, suites.keys()
def results(name):
    return [(c.name, [type(r).__name__ for r in c.result]) for c in suites[name]]
typo = list(suites["./pipes/bad-typo.yaml"])
assert typo[0].name == "./pipes/bad-typo.yaml:110:11 [unknown-task]", typo[0].name
assert isinstance(typo[0].result[0], Failure) and "did you mean 'train'" in typo[0].result[0].message
assert typo[0].classname == "kfplint.unknown-task"
clean = list(suites["./pipes/ml_pipeline.yaml"])
assert len(clean) == 1 and not clean[0].result, results("./pipes/ml_pipeline.yaml")
cm = list(suites["./pipes/cm.yaml"])
assert isinstance(cm[0].result[0], Skipped) and cm[0].result[0].message == "not a KFP document: Kubernetes ConfigMap"
weird = list(suites['./pipes/we<i>rd&"name.yaml'])
assert weird[0].name.startswith('./pipes/we<i>rd&"name.yaml:110:11')
total = sum(s.tests for s in xml)
failures = sum(s.failures for s in xml)
assert failures == sum(1 for s in xml for c in s for r in c.result if isinstance(r, Failure)) and total >= failures + 2
PY
fi
mkdir "$tmp/hostile"; sed "s/trian/tr\xff\x01ian/" "$FIX/rules/unknown-task/bad-typo.yaml" >"$tmp/hostile/x$(printf '\xfe')y.yaml"
"$K" --no-config -f junit -o "$tmp/hostile.xml" "$tmp/hostile" 2>/dev/null
if command -v xmllint >/dev/null 2>&1; then ok junit-hostile-wellformed xmllint --noout "$tmp/hostile.xml"; fi
t gitlab-hostile 1 "$K" --no-config -f gitlab "$tmp/hostile"
ok gitlab-hostile-json python3 -c 'import json,sys; json.loads(sys.argv[1])' "$out"

echo "test_adoption: $passed passed, $fails failed"
[ "$fails" -eq 0 ]
