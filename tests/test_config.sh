#!/usr/bin/env bash
# Configuration, suppressions, baseline, -j on the built binary. Usage: test_config.sh KFPLINT FIXTURES
set -u
K=$(realpath "$1")
FIX=$(realpath "$2")
fails=0 passed=0
t() { local name=$1 want=$2; shift 2; out=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -20; fails=$((fails+1)); else passed=$((passed+1)); fi; }
has() { if grep -qF -- "$2" <<<"$out"; then passed=$((passed+1)); else echo "FAIL $1: output lacks: $2"; echo "$out" | head -20; fails=$((fails+1)); fi; }
hasnt() { if grep -qF -- "$2" <<<"$out"; then echo "FAIL $1: output has: $2"; echo "$out" | head -20; fails=$((fails+1)); else passed=$((passed+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

mkdir -p repo/pipelines/legacy repo/vendor
cp "$FIX/rules/schema-version/bad-old.yaml" repo/pipelines/old.yaml          # schema-version warning
cp "$FIX/rules/unknown-task/bad-typo.yaml" repo/pipelines/typo.yaml          # unknown-task error
cp "$FIX/rules/unknown-task/bad-typo.yaml" repo/vendor/typo.yaml
cp "$FIX/rules/schema-version/bad-old.yaml" repo/pipelines/legacy/old.yaml

# no config: defaults
t defaults 1 "$K" -q repo/pipelines/typo.yaml
has defaults-finding "[unknown-task]"

# nearest config wins; severity, disable, exclude, per-path ignore
cat > repo/.kfplint.yaml <<'YAML'
rules:
  unknown-task: warning
  schema-version: {severity: error}
exclude: ["vendor/**"]
ignore:
  - path: pipelines/legacy/*.yaml
    rules: [schema-version]
YAML
t config-severity 1 "$K" -q repo
has severity-changed "warning: unknown task 'trian'"
has severity-raised "pipelines/old.yaml:158:16: error: schemaVersion"
hasnt excluded "vendor/typo.yaml"
hasnt ignored-path "legacy/old.yaml"
cat > repo/pipelines/.kfplint.yaml <<'YAML'
rules:
  unknown-task: {enabled: false}
YAML
t nearest-wins 0 "$K" -q repo/pipelines/typo.yaml
t no-config 1 "$K" -q --no-config repo/pipelines/typo.yaml
has no-config-default "error: unknown task"
t explicit-config 0 "$K" -q --config repo/.kfplint.yaml repo/pipelines/typo.yaml
has explicit-config-used "warning: unknown task"
t print-config 0 "$K" --print-config repo/pipelines/typo.yaml
has print-config-file "repo/pipelines/.kfplint.yaml"
has print-config-rule "unknown-task: off"
rm repo/pipelines/.kfplint.yaml

# config errors: position and exit 2, never a silent fallback
printf 'rules:\n  unknown-tsk: error\n' > bad1.yaml
t config-unknown-rule 2 "$K" --config bad1.yaml repo/pipelines/typo.yaml
has config-unknown-rule-pos "bad1.yaml:2:3: config error: unknown rule 'unknown-tsk': did you mean 'unknown-task'?"
printf 'rules:\n  dag-cycle: loud\n' > bad2.yaml
t config-bad-value 2 "$K" --config bad2.yaml repo/pipelines/typo.yaml
has config-bad-value-pos "bad2.yaml:2:14: config error: severity must be"
printf 'exclude: [a\nrules: {}\n' > bad3.yaml
t config-syntax 2 "$K" --config bad3.yaml repo/pipelines/typo.yaml
has config-syntax-pos "bad3.yaml:2:"
printf 'rulez: {}\n' > bad4.yaml
t config-unknown-key 2 "$K" --config bad4.yaml repo/pipelines/typo.yaml
has config-unknown-key-pos "bad4.yaml:1:1: config error: unknown key 'rulez' in the config: did you mean 'rules'?"
printf 'custom-rules:\n  - id: no-hub\n    field: image\n    message: x\n    pattern: "gcr\\\\.io/(ml"\n' > bad5.yaml
t config-bad-regex 2 "$K" --config bad5.yaml repo/pipelines/typo.yaml
has config-bad-regex-msg "bad5.yaml:5:"
has config-bad-regex-what "invalid pattern"

# every config value has its type checked: a wrong type is an error at its position, exit 2
wrong() { local name=$1 cfg=$2 want=$3; printf '%s\n' "$cfg" > wrong.yaml
  t "config-type-$name" 2 "$K" -q --config wrong.yaml repo/pipelines/typo.yaml
  has "config-type-$name-msg" "wrong.yaml:$want"; }
wrong exclude-string 'exclude: "**"' "1:10: config error: exclude must be a list of strings, got a string (write ['**'])"
wrong exclude-number 'exclude: 5' "1:10: config error: exclude must be a list of strings, got a number"
wrong exclude-null 'exclude:' "1:9: config error: exclude must be a list of strings, got null"
wrong exclude-item 'exclude: [a, 5]' "1:14: config error: exclude must be a string, got a number"
wrong exclude-map 'exclude: {a: b}' "1:10: config error: exclude must be a list of strings, got a mapping"
wrong rules-list 'rules: [unknown-task]' "1:8: config error: rules must be a mapping"
wrong rule-severity-list 'rules: {dag-cycle: [error]}' "1:20: config error: rule 'dag-cycle' takes a severity or a mapping"
wrong rule-severity-number 'rules: {dag-cycle: 5}' "1:20: config error: severity must be"
wrong rule-nested-severity 'rules: {dag-cycle: {severity: [x]}}' "1:31: config error: severity must be error, warning, note or off, got a list"
wrong rule-enabled-string 'rules: {dag-cycle: {enabled: "yes"}}' "1:30: config error: enabled must be true or false"
wrong ignore-map 'ignore: {path: a}' "1:9: config error: ignore must be a list"
wrong ignore-entry 'ignore: [5]' "1:10: config error: an ignore entry must be a mapping"
wrong ignore-path-number 'ignore: [{path: 5}]' "1:17: config error: ignore.path must be a string, got a number (quote it to make it a string)"
wrong ignore-path-list 'ignore: [{path: [a]}]' "1:17: config error: ignore.path must be a string, got a list"
wrong ignore-rules-string 'ignore: [{path: a, rules: unknown-task}]' "1:27: config error: ignore.rules must be a list of strings, got a string"
wrong ignore-tasks-number 'ignore: [{path: a, tasks: [1]}]' "1:28: config error: ignore.tasks must be a string, got a number"
wrong provided-number 'rules: {env-unset: {provided: 5}}' "1:31: config error: env-unset.provided must be a list of strings, got a number"
wrong provided-item 'rules: {env-unset: {provided: [true]}}' "1:32: config error: env-unset.provided must be a string, got a boolean"
wrong defaults-list 'rules: {env-unset: {defaults: [A]}}' "1:31: config error: env-unset.defaults must be a mapping"
wrong defaults-value 'rules: {env-unset: {defaults: {A: 5}}}' "1:35: config error: env-unset.defaults must be a string, got a number"
wrong allowed-string 'rules: {image-registry: {allowed: gcr.io}}' "1:35: config error: image-registry.allowed must be a list of strings, got a string"
wrong pins-list 'rules: {image-unpinned: {pins: [a]}}' "1:32: config error: pins must be a mapping"
wrong pins-value 'rules: {image-digest: {pins: {a: [b]}}}' "1:34: config error: pins must be a string, got a list"
wrong custom-map 'custom-rules: {id: a}' "1:15: config error: custom-rules must be a list"
wrong custom-entry 'custom-rules: [a]' "1:16: config error: a custom rule must be a mapping"
wrong custom-id 'custom-rules: [{id: 5, field: image, message: m, pattern: x}]' "1:21: config error: id must be a string, got a number"
wrong custom-message 'custom-rules: [{id: a, field: image, message: [m], pattern: x}]' "1:47: config error: message must be a string, got a list"
wrong custom-pattern 'custom-rules: [{id: a, field: image, message: m, pattern: 5}]' "1:59: config error: pattern must be a string, got a number"
wrong custom-field 'custom-rules: [{id: a, field: [image], message: m, pattern: x}]' "1:31: config error: field must be one of"
wrong custom-mode 'custom-rules: [{id: a, field: image, message: m, pattern: x, mode: true}]' "1:68: config error: mode must be"
wrong custom-severity 'custom-rules: [{id: a, field: image, message: m, pattern: x, severity: {}}]' "1:72: config error: severity must be error, warning, note or off, got a mapping"
wrong top-list '- rules' "1:1: config error: the config must be a mapping"
wrong key-list '? [a]
: b' "1:3: config error: keys in the config must be strings, got a list"
wrong rule-id-list 'rules: {[a]: error}' "1:9: config error: rule ids must be strings, got a list"
wrong ignore-key-map 'ignore: [{{a: 1}: x}]' "1:11: config error: keys in an ignore entry must be strings, got a mapping"

# exclude, as ruff: a directory walk skips excluded files; a file named on the command line is
# linted anyway unless --force-exclude; never "no problems found in 0 files" with exit 0
mkdir -p ex/sub && cp "$FIX/rules/unknown-task/bad-typo.yaml" ex/sub/typo.yaml
printf 'exclude: ["**"]\n' > ex/.kfplint.yaml
t exclude-named-linted 1 "$K" -q ex/sub/typo.yaml
has exclude-named-finding "[unknown-task]"
t exclude-walk-nothing 2 "$K" ex
has exclude-walk-msg "no KFP file was checked (2 files skipped: excluded by config (1)"
hasnt exclude-walk-no-pass "no problems found"
t exclude-force 0 "$K" --force-exclude ex/sub/typo.yaml
has exclude-force-summary "every file is excluded by the config's exclude patterns (--force-exclude): nothing was linted"
has exclude-force-warning "warning: every file is excluded"
hasnt exclude-force-no-pass "no problems found"
printf 'exclude: ["other/**"]\n' > ex/.kfplint.yaml
t exclude-force-other 1 "$K" -q --force-exclude ex/sub/typo.yaml

# custom rules report with positions, and appear in SARIF's rule list
cat > custom.yaml <<'YAML'
custom-rules:
  - id: team-registry
    severity: error
    field: image
    mode: must-match
    pattern: '^gcr\.io/ml-team/'
    message: images must come from gcr.io/ml-team
  - id: no-debug-env
    field: env-name
    pattern: DEBUG
    message: do not ship DEBUG switches
YAML
cp "$FIX/examples/broken_ml_pipeline.yaml" p.yaml
t custom 1 "$K" -q --config custom.yaml p.yaml
has custom-finding "p.yaml:94:16: error: images must come from gcr.io/ml-team ('my-docker-image') [team-registry]"
t custom-sarif 1 "$K" --format sarif --config custom.yaml p.yaml
has custom-in-sarif '"id": "team-registry"'

# rule options: env names the runtime provides
printf 'rules:\n  env-unset:\n    provided: [RESULTS_BUCKET]\n' > provided.yaml
t env-provided 0 "$K" -q --config provided.yaml --select env-unset p.yaml
t env-not-provided 1 "$K" -q --no-config --select env-unset p.yaml

# JSON files: config path + task ignores
cp "$FIX/rules/unknown-task/bad-typo.json" j.json
printf 'ignore:\n  - path: j.json\n    rules: [unknown-task]\n    tasks: [evaluate]\n' > taskcfg.yaml
t task-ignore 0 "$K" -q --config taskcfg.yaml j.json
printf 'ignore:\n  - path: j.json\n    rules: [unknown-task]\n    tasks: [train]\n' > taskcfg2.yaml
t task-ignore-other-task 1 "$K" -q --config taskcfg2.yaml j.json

# inline suppressions
printf 'pipelineInfo: {name: p}\nschemaVersion: 2.0.0  # kfplint: disable=schema-version\nroot: {dag: {tasks: {t: {componentRef: {name: c}}}}}\ncomponents: {c: {executorLabel: e}}\ndeploymentSpec: {executors: {e: {container: {image: "python:3.11"}}}}\n' > s.yaml
t suppressed 0 "$K" -q --no-config --fail-on note s.yaml
t strict-ci 1 "$K" -q --no-config --fail-on warning --no-inline-suppressions s.yaml
has strict-ci-finding "[schema-version]"
t require-reason 1 "$K" -q --no-config --fail-on warning --require-suppression-reason s.yaml
has require-reason-msg "gives no reason"

# baseline: old findings stay quiet across unrelated edits; new ones are reported
cp "$FIX/rules/unknown-task/bad-typo.yaml" b.yaml
t write-baseline 0 "$K" -q --no-config --write-baseline base.json b.yaml
{ printf '# a new comment\n\n'; cat b.yaml; } > b2.yaml && mv b2.yaml b.yaml
t baseline-survives-edit 0 "$K" -q --no-config --baseline base.json b.yaml
sed -i 's/- preprocess$/- preprocesss/' b.yaml
t baseline-new-finding 1 "$K" -q --no-config --baseline base.json b.yaml
has baseline-new "unknown task 'preprocesss'"
hasnt baseline-old "unknown task 'trian'"
echo '{"nope": 1}' > notbase.json
t baseline-bad 2 "$K" --baseline notbase.json b.yaml

# target: {kfp-sdk}: v1 placeholder type findings follow it; a bad value is a config error
cp "$FIX/rules/type-mismatch/bad-v1-input-value.yaml" v1comp.yaml
t target-auto 0 "$K" -q --no-config --select type-mismatch v1comp.yaml
has target-auto-note "9:38: note: {inputValue: model_dir}"
printf 'target:\n  kfp-sdk: v2\n' > tv2.yaml
t target-v2 0 "$K" -q --config tv2.yaml --select type-mismatch v1comp.yaml
has target-v2-warning "9:38: warning: {inputValue: model_dir}"
printf 'target: {kfp-sdk: v1}\n' > tv1.yaml
t target-v1 0 "$K" -q --config tv1.yaml --select type-mismatch v1comp.yaml
hasnt target-v1-silent "inputValue"
t target-print 0 "$K" --config tv1.yaml --print-config v1comp.yaml
has target-print-v1 "  kfp-sdk: v1"
t target-print-auto 0 "$K" --no-config --print-config v1comp.yaml
has target-print-auto "  kfp-sdk: auto"
printf 'target:\n  kfp-sdk: v3\n' > tbad.yaml
t target-bad 2 "$K" --config tbad.yaml v1comp.yaml
has target-bad-pos "tbad.yaml:2:12: config error: target.kfp-sdk must be v1, v2 or auto, not 'v3'"
printf 'target:\n  kfp_sdk: v2\n' > tbad2.yaml
t target-bad-key 2 "$K" --config tbad2.yaml v1comp.yaml
has target-bad-key-pos "tbad2.yaml:2:3: config error: unknown key 'kfp_sdk' in target: did you mean 'kfp-sdk'?"
printf 'target: v2\n' > tbad3.yaml
t target-not-map 2 "$K" --config tbad3.yaml v1comp.yaml
has target-not-map-pos "tbad3.yaml:1:9: config error: target must be a mapping"
printf 'target:\n  kfp-sdk: 2\n' > tbad4.yaml
t target-number 2 "$K" --config tbad4.yaml v1comp.yaml
has target-number-pos "tbad4.yaml:2:12: config error: target.kfp-sdk must be v1, v2 or auto, not '2'"

# dangling-io: KFP v1's fixed output paths follow the target (warning when unknown)
cp "$FIX/rules/dangling-io/bad-v1-convention.yaml" conv.yaml
t dangling-auto 0 "$K" -q --no-config --select dangling-io conv.yaml
has dangling-auto-warning "7:10: warning: output 'endpoint_status' of component 'Sagemaker - Endpoint' is never written through a placeholder: only KFP v1 collects it"
t dangling-v1 0 "$K" -q --config tv1.yaml --select dangling-io conv.yaml
hasnt dangling-v1-silent "endpoint_status"
t dangling-v2 1 "$K" -q --config tv2.yaml --select dangling-io conv.yaml
has dangling-v2-error "7:10: error: output 'endpoint_status' of component 'Sagemaker - Endpoint' is never written: no {outputPath: endpoint_status}"
cp "$FIX/rules/dangling-io/bad-v1-guide.yaml" guide.yaml
t dangling-guide-v1 1 "$K" -q --config tv1.yaml --select dangling-io guide.yaml
has dangling-guide-v1-error "5:12: error: output 'processed_data_path'"

# --skip-unknown: hooks pass every YAML file
printf 'apiVersion: v1\nkind: ConfigMap\n' > cm.yaml
t named-unknown 1 "$K" -q --no-config cm.yaml
t skip-unknown 0 "$K" -q --no-config --skip-unknown cm.yaml

# -j: same output, deterministic order
a=$("$K" --no-config -j 1 "$FIX/rules" 2>&1); b=$("$K" --no-config -j 2 "$FIX/rules" 2>&1); c=$("$K" --no-config -j 8 "$FIX/rules" 2>&1)
if [ "$a" = "$b" ] && [ "$a" = "$c" ] && [ -n "$a" ]; then passed=$((passed+1)); else echo "FAIL -j output differs"; fails=$((fails+1)); fi
t jobs-bad 2 "$K" -j 0 p.yaml

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
