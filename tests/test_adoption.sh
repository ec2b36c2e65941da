#!/usr/bin/env bash
# Adoption tests on the built binary (issue #17): skipped files with reasons in every format,
# the run that checks nothing, and the other points of dropping kfplint into a repository.
set -u
K=$1
ROOT=$2
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
printf 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: {}\n' >"$d/wf.yaml"
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
has skip-argo "Argo Workflow (not supported) (1)"
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
lacks skipped-excluded-argo "Argo Workflow"
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
t unused-output-off 0 "$K" --fail-on note "$FIX/rules/unused-output/bad-unused.yaml"
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

echo "test_adoption: $passed passed, $fails failed"
[ "$fails" -eq 0 ]
