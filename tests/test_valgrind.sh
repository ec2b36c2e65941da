#!/usr/bin/env bash
# The binary and the unit tests under valgrind memcheck: no invalid access, no leak.
# Usage: test_valgrind.sh BUILD_DIR REPO_ROOT
set -u
B=$(realpath "$1")
ROOT=$(realpath "$2")
if ! command -v valgrind >/dev/null 2>&1; then
  echo "SKIPPED LOUDLY: valgrind is not installed (apt-get install valgrind)"; exit 77
fi
fails=0 passed=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
vg() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
          --show-leak-kinds=definite,indirect,possible "$@"; }
run() { local name=$1; shift
  out=$(vg "$@" 2>&1 >/dev/null); rc=$?
  if [ $rc -eq 99 ] || grep -q '^==[0-9]*==' <<<"$out"; then echo "FAIL $name:"; echo "$out" | head -30; fails=$((fails+1)); else passed=$((passed+1)); fi; }
K=$B/kfplint
for fmt in text json sarif github; do run "lint-$fmt" "$K" --no-config -j 2 --format "$fmt" "$ROOT/fixtures"; done
# (fixtures/ holds the real corpus too)
cp -r "$ROOT/fixtures/rules" "$tmp/rules"
run fix "$K" --fix --unsafe-fixes "$tmp/rules"
run diff "$K" --diff --unsafe-fixes "$ROOT/fixtures/rules"
run config "$K" --config "$ROOT/fixtures/rules/image-registry/.kfplint.yaml" --write-baseline "$tmp/b.json" "$ROOT/fixtures/rules/image-registry"
run baseline "$K" --no-config --baseline "$tmp/b.json" "$ROOT/fixtures/rules/image-registry"
for fmt in dot mermaid; do
  run "graph-$fmt" "$K" graph --no-config --format "$fmt" "$ROOT/fixtures/graph/nested.yaml"
  run "graph-$fmt-component" "$K" graph --no-config --format "$fmt" "$ROOT/fixtures/examples/broken_preprocess_component.yaml"
done
# a language-server session: open, change, code actions (fix-all runs the fix engine), hover, close
python3 - "$ROOT/fixtures/rules/unknown-task/bad-display-name.yaml" > "$tmp/lsp-session" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
u = "file:///tmp/kfplint-valgrind/p.yaml"
msgs = [{"id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"method": "textDocument/didOpen", "params": {"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": text}}},
        {"id": 2, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": u},
         "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}, "context": {"diagnostics": []}}},
        {"id": 3, "method": "textDocument/hover", "params": {"textDocument": {"uri": u}, "position": {"line": 115, "character": 32}}},
        {"method": "textDocument/didChange", "params": {"textDocument": {"uri": u, "version": 2},
         "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# x\n"}]}},
        {"method": "textDocument/didClose", "params": {"textDocument": {"uri": u}}},
        {"id": 4, "method": "shutdown"}, {"method": "exit"}]
for m in msgs:
    b = json.dumps(dict(jsonrpc="2.0", **m)).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
PY
out=$(vg "$K" lsp < "$tmp/lsp-session" 2>&1 >/dev/null); rc=$?
if [ $rc -ne 0 ] || grep -q '^==[0-9]*==' <<<"$out"; then echo "FAIL lsp (exit $rc):"; echo "$out" | head -30; fails=$((fails+1)); else passed=$((passed+1)); fi
for t in test_load test_model test_rules test_fix; do run "$t" "$B/tests/$t"; done
echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
