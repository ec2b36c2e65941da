#!/usr/bin/env bash
# End to end with Debian's pre-commit: a throwaway git repository with a good and a bad
# pipeline; `pre-commit run --all-files` fails on the bad one with the finding printed, and
# passes once it is fixed. Both hooks of .pre-commit-hooks.yaml are exercised, kfplint-build
# three times from a fresh cache on many files (parallel chunks race to build it), and the
# offline `repo: local` form.
# Usage: test_precommit.sh KFPLINT REPO_ROOT
set -u
K=$(realpath "$1")
ROOT=$(realpath "$2")
if ! command -v pre-commit >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
  echo "SKIPPED LOUDLY: pre-commit or git is not installed (apt-get install pre-commit)"; exit 77
fi
fails=0 passed=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME=$tmp/cache HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.email t@example.com; git config --global user.name test
git config --global init.defaultBranch main; git config --global protocol.file.allow always

# the hook repository: this project's files at the working tree's state
hooks=$tmp/hooks
mkdir -p "$hooks"
(cd "$ROOT" && tar -cf - --exclude='./build*' --exclude=./.git .) | (cd "$hooks" && tar -xf -)
(cd "$hooks" && git init -q && git add -A && git commit -qm hooks)
rev=$(cd "$hooks" && git rev-parse HEAD)

for hook in kfplint kfplint-build; do
  work=$tmp/work-$hook
  mkdir -p "$work/pipelines" && cd "$work" || exit 2
  git init -q
  cp "$ROOT/fixtures/examples/ml_pipeline.yaml" pipelines/good.yaml
  cp "$ROOT/fixtures/rules/unknown-task/bad-typo.yaml" pipelines/bad.yaml
  printf 'apiVersion: v1\nkind: ConfigMap\n' > pipelines/configmap.yaml   # not KFP: skipped
  cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: $hook
YAML
  git add -A && git commit -qm init
  out=$(PATH=$(dirname "$K"):$PATH pre-commit run --all-files 2>&1); rc=$?
  if [ $rc -ne 0 ] && grep -q "bad.yaml:110:11: error: unknown task 'trian'" <<<"$out" && ! grep -q configmap <<<"$out"; then
    passed=$((passed+1))
  else echo "FAIL $hook: expected a failure with the finding (rc=$rc)"; echo "$out" | tail -20; fails=$((fails+1)); fi
  sed -i 's/- trian$/- train/' pipelines/bad.yaml && git add -A && git commit -qm fix
  out=$(PATH=$(dirname "$K"):$PATH pre-commit run --all-files 2>&1); rc=$?
  if [ $rc -eq 0 ]; then passed=$((passed+1)); else echo "FAIL $hook: expected a pass after the fix"; echo "$out" | tail -20; fails=$((fails+1)); fi
done

# parallel chunks on a fresh cache, several times: pre-commit splits the files into one chunk
# per CPU and runs them at once, so every chunk of kfplint-build races to build kfplint; each
# run must lint every file (each bad file's finding is printed) and print no build error
work=$tmp/work-many
mkdir -p "$work/p" && cd "$work" || exit 2
git init -q
n=48
for i in $(seq -w 1 $n); do cp "$ROOT/fixtures/rules/unknown-task/bad-typo.yaml" "p/bad-$i.yaml"; done
for i in 1 2 3 4; do printf 'apiVersion: v1\nkind: ConfigMap\n' >"p/cm-$i.yaml"; done
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: kfplint-build
YAML
git add -A && git commit -qm init
for round in 1 2 3; do
  export PRE_COMMIT_HOME=$tmp/cache-many-$round # a fresh cache: every chunk finds no build
  out=$(pre-commit run --all-files 2>&1); rc=$?
  linted=$(grep -cE "^p/bad-[0-9]+\.yaml:110:11: error: unknown task 'trian'" <<<"$out")
  if [ $rc -eq 1 ] && [ "$linted" -eq $n ] && ! grep -qiE "cmake error|building kfplint failed|No such file|Text file busy|collect2" <<<"$out"; then
    passed=$((passed+1))
  else echo "FAIL fresh cache round $round: rc=$rc, $linted of $n files linted"; echo "$out" | grep -v "^p/bad\|^ \+|\|^ *$" | tail -30; fails=$((fails+1)); fi
  rm -rf "$PRE_COMMIT_HOME"
done

# more chunks than this machine's CPUs give: six copies of the hook's entry at once on a fresh
# copy of the hook repository (without the lock, most of them fail in CMake or the linker)
fresh=$tmp/hooks-direct
mkdir -p "$fresh" && (cd "$hooks" && tar -cf - --exclude=./.git .) | (cd "$fresh" && tar -xf -)
pids=()
for c in 1 2 3 4 5 6; do
  files=()
  for i in $(seq $(( (c - 1) * 8 + 1 )) $(( c * 8 ))); do files+=("$tmp/work-many/p/bad-$(printf %02d "$i").yaml"); done
  "$fresh/tools/pre-commit-run.sh" --skip-unknown "${files[@]}" >"$tmp/direct-$c.out" 2>&1 &
  pids+=($!)
done
for c in 1 2 3 4 5 6; do
  wait "${pids[$((c - 1))]}"; rc=$?
  linted=$(grep -cE "bad-[0-9]+\.yaml:110:11: error: unknown task 'trian'" "$tmp/direct-$c.out")
  if [ $rc -eq 1 ] && [ "$linted" -eq 8 ]; then passed=$((passed+1))
  else echo "FAIL concurrent chunk $c: rc=$rc, $linted of 8 files linted"; grep -v "^ *|\|^ *[0-9]* |" "$tmp/direct-$c.out" | tail -10; fails=$((fails+1)); fi
done

# the offline form: `repo: local` with an installed kfplint, as README shows it
work=$tmp/work-local
mkdir -p "$work/pipelines" && cd "$work" || exit 2
git init -q
cp "$ROOT/fixtures/rules/unknown-task/bad-typo.yaml" pipelines/bad.yaml
printf 'apiVersion: v1\nkind: ConfigMap\n' > pipelines/configmap.yaml
cat > .pre-commit-config.yaml <<'YAML'
repos:
  - repo: local
    hooks:
      - id: kfplint
        name: kfplint
        entry: kfplint --skip-unknown
        language: system
        files: \.(ya?ml|json)$
YAML
git add -A && git commit -qm init
export PRE_COMMIT_HOME=$tmp/cache-local
out=$(PATH=$(dirname "$K"):$PATH pre-commit run --all-files 2>&1); rc=$?
if [ $rc -eq 1 ] && grep -q "bad.yaml:110:11: error: unknown task 'trian'" <<<"$out"; then passed=$((passed+1))
else echo "FAIL repo: local: rc=$rc"; echo "$out" | tail -20; fails=$((fails+1)); fi

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
