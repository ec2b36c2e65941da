#!/usr/bin/env bash
# Hostile inputs, each with its expected result: kfplint never crashes or hangs, says what is
# wrong with a position, exits 1 (findings) or 2 (unreadable / usage) as documented, and keeps
# linting the other files. `timeout` only guards against hangs; no wall-clock time is asserted.
# Usage: test_hostile.sh KFPLINT FIXTURES
set -u
K=$(realpath "$1")
FIX=$(realpath "$2")
fails=0 passed=0
tmp=$(mktemp -d); trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
export GOOD=$FIX/examples/ml_pipeline.yaml

# expect NAME WANT_EXIT PATTERN -- ARGS... : kfplint ARGS must exit WANT_EXIT and print PATTERN
expect() {
  local name=$1 want=$2 pat=$3; shift 4
  out=$(timeout 300 "$K" --no-config --color never -q "$@" 2>&1); rc=$?
  if [ $rc -ge 124 ]; then echo "FAIL $name: killed or hung (exit $rc)"; fails=$((fails+1)); return; fi
  if [ $rc -ne "$want" ]; then echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -5 | cut -c1-300; fails=$((fails+1)); return; fi
  if [ -n "$pat" ] && ! grep -qE -- "$pat" <<<"$out"; then echo "FAIL $name: output lacks /$pat/"; echo "$out" | head -5 | cut -c1-300; fails=$((fails+1)); return; fi
  passed=$((passed+1))
}

: > empty.yaml
expect empty 1 'empty.yaml:1:1: error: file is empty.*\[unknown-document\]' -- empty.yaml
printf '  \n# only\n   # comments\n\n' > comments.yaml
expect comments-only 1 'comments.yaml:1:1: error: file is empty' -- comments.yaml
head -c 4096 /dev/urandom > random.yaml; printf '\0' >> random.yaml
expect binary 1 'random.yaml:[0-9]+:[0-9]+: error: .*(binary|syntax|UTF-8|NUL)' -- random.yaml
printf 'pipelineInfo:\n  name: a\0b\n' > nul.yaml
expect nul-bytes 1 'nul.yaml:2:10: error: file contains NUL bytes' -- nul.yaml
printf 'pipelineInfo:\n  name: caf\xe9\n' > latin1.yaml
expect invalid-utf8 1 'latin1.yaml:2:12: error: YAML syntax error: .*UTF-8.*\[parse-error\]' -- latin1.yaml
printf '\xef\xbb\xbfpipelineInfo:\n  name: My_Name\n' > bom.yaml
expect bom 1 'bom.yaml:2:9: error: pipeline name .My_Name.' -- --select invalid-name bom.yaml
# a BOM takes no column on line 1 (block YAML: the fast path; a flow mapping: libyaml; JSON)
printf '\xef\xbb\xbfpipelineInfo: {}\nschemaVersion: 2.1.0\n' > bom-line1.yaml
expect bom-line1-fast 1 'bom-line1.yaml:1:1: error: pipelineInfo.name is missing' -- --select invalid-name bom-line1.yaml
printf '\xef\xbb\xbfpipelineInfo: {name: My_Name}\n' > bom-flow.yaml
expect bom-line1-libyaml 1 'bom-flow.yaml:1:22: error: pipeline name .My_Name.' -- --select invalid-name bom-flow.yaml
out=$("$K" --no-config --color never --select invalid-name bom-flow.yaml 2>&1)
if grep -qx '1 | pipelineInfo: {name: My_Name}' <<<"$out" && grep -qx '  |                      ^~~~~~~' <<<"$out"; then
  passed=$((passed+1)); else echo "FAIL bom-line1-caret: excerpt shows the BOM or the caret is off"; echo "$out" | head -5; fails=$((fails+1)); fi
printf '\xef\xbb\xbf# kfplint: disable-file=invalid-name -- a comment after a BOM\npipelineInfo:\n  name: My_Name\n' > bom-supp.yaml
expect bom-line1-suppression 0 '' -- --select invalid-name bom-supp.yaml
printf '\xef\xbb\xbf{"pipelineInfo": {"name": "My_Name"}}\n' > bom.json
expect bom-line1-json 1 'bom.json:1:27: error: pipeline name .My_Name.' -- --select invalid-name bom.json
expect bom-line1-sarif 1 '"startColumn": 27' -- --select invalid-name --format sarif bom.json
printf '\xff\xfep\0i\0' > utf16.yaml
expect utf16 1 'utf16.yaml:1:1: error: file is UTF-16 encoded' -- utf16.yaml
printf 'pipelineInfo:\r\n  name: My_Name\r\n' > crlf.yaml
expect crlf 1 'crlf.yaml:2:9: error: pipeline name' -- --select invalid-name crlf.yaml
printf 'pipelineInfo:\r  name: My_Name\r' > cr.yaml
expect lone-cr 1 'cr.yaml:2:9: error: pipeline name' -- --select invalid-name cr.yaml
printf 'pipelineInfo:\n\tname: x\n' > tabs.yaml
expect tab-indent 1 'tabs.yaml:2:[0-9]+: error: YAML syntax error' -- tabs.yaml

# one line of several megabytes: a minified pipeline with a 5 MB description
python3 - <<'PY'
import json, yaml
d = yaml.safe_load(open(__import__("os").environ["GOOD"]))
d["pipelineInfo"]["description"] = "x" * 5_000_000
d["pipelineInfo"]["name"] = "Bad_Name"
open("longline.json", "w").write(json.dumps(d, separators=(",", ":")))
PY
expect long-line 1 'longline.json:1:[0-9]+: error: pipeline name .Bad_Name.' -- --select invalid-name longline.json
# a 100 MB file (linted: under the default --max-file-size), and over a small limit (a finding)
python3 - <<'PY'
import os
good = open(os.environ["GOOD"]).read()
with open("big.yaml", "w") as f:
    f.write(good.replace("pipelineInfo:\n  name: ml-pipeline", "pipelineInfo:\n  name: ml-pipeline\n  description: |\n" + ("    " + "y" * 995 + "\n") * 100_000, 1))
PY
expect 100mb 0 '' -- big.yaml
expect max-file-size 1 'big.yaml:1:1: error: file is larger than the --max-file-size limit of 1000000 bytes' -- --max-file-size 1000000 big.yaml

# one scalar longer than a node holds (128 MiB): a finding at the scalar, in each parser
for f in long.yaml long-flow.yaml long.json; do
  python3 - "$f" <<'PY'
import sys
x = "x" * (1 << 27)
f = sys.argv[1]
text = {"long.yaml": "pipelineInfo:\n  name: p\n  description: " + x + "\n",
        "long-flow.yaml": "pipelineInfo: {name: p,\n  description: " + x + "}\n",
        "long.json": '{"pipelineInfo": {"name": "p",\n  "description": "' + x + '"}}\n'}[f]
open(f, "w").write(text)
PY
done
expect long-scalar 1 'long.yaml:3:16: error: this scalar is longer than 134217727 bytes: not linted \[parse-error\]' -- long.yaml
expect long-scalar-flow 1 'long-flow.yaml:2:16: error: this scalar is longer than 134217727 bytes' -- long-flow.yaml
expect long-scalar-json 1 'long.json:2:18: error: this scalar is longer than 134217727 bytes' -- long.json
rm -f long.yaml long-flow.yaml long.json

# nesting 100,000 levels: no stack overflow, a clear finding
python3 -c 'print("[" * 100000 + "]" * 100000)' > deep.json
expect deep-json 1 'deep.json:1:1001: error: nesting deeper than 1000 levels' -- deep.json
python3 -c 'print("a: " + "{b: " * 100000 + "c" + "}" * 100000)' > deep.yaml
expect deep-yaml 1 'deep.yaml:1:[0-9]+: error: nesting deeper than 1000 levels' -- deep.yaml
# the same in block style (the fast YAML path hands it to libyaml, which reports it)
python3 -c 'print("- " * 100000 + "x")' > deep-seq.yaml
expect deep-block-seq 1 'deep-seq.yaml:1:2001: error: nesting deeper than 1000 levels' -- deep-seq.yaml
python3 -c 'print("".join(" " * i + "k:\n" for i in range(3000)) + " " * 3000 + "v")' > deep-map.yaml
expect deep-block-map 1 'deep-map.yaml:1001:1001: error: nesting deeper than 1000 levels' -- deep-map.yaml

# alias bomb ("billion laughs"): aliases are never expanded, so time and memory stay linear, and
# a document whose aliases expand it past go-yaml's limit (what argo, kubectl and KFP's backend
# decode with) is refused as they refuse it, at the alias that expands the most
python3 - <<'PY'
lines = ["pipelineInfo: {name: bomb}", "schemaVersion: 2.1.0", "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 12):
    lines.append(f"x{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
lines.append("components: {c: {executorLabel: e}}")
lines.append("deploymentSpec: {executors: {e: {container: {image: 'python:3.11', args: *a11, command: *a11}}}}")
lines.append("root: {dag: {tasks: {t: {componentRef: {name: c}, inputs: {parameters: {p: {runtimeValue: {constant: *a11}}}}}}}}")
open("bomb.yaml", "w").write("\n".join(lines) + "\n")
PY
expect alias-bomb 1 'bomb.yaml:16:74: error: document contains excessive aliasing: its aliases expand it from 193 to 4567901234623 nodes' -- bomb.yaml
expect alias-bomb-json 1 '"rule": "parse-error"' -- --format json bomb.yaml
expect alias-bomb-sarif 1 '"ruleId": "parse-error"' -- --format sarif bomb.yaml
# the same through v1 placeholders, which nest ({concat: [{concat: …}]})
python3 - <<'PY'
lines = ["name: bomb", "implementation:", "  container:", "    image: python:3.11", "    command:",
         "      - {concat: &l0 [x, x, x, x, x, x, x, x, x, 5]}"]
for i in range(1, 12):
    lines.append(f"      - {{concat: &l{i} [" + ", ".join([f"{{concat: *l{i-1}}}"] * 10) + "]}")
open("v1bomb.yaml", "w").write("\n".join(lines) + "\n")
PY
expect alias-bomb-v1 1 'v1bomb.yaml:17:33: error: document contains excessive aliasing' -- v1bomb.yaml
# twenty levels (10^20 nodes) do not wrap the count
python3 -c 'print("a0: &a0 [x, x, x, x, x, x, x, x, x, x]"); [print(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]") for i in range(1, 21)]' > bomb20.yaml
expect alias-bomb-20 1 'document contains excessive aliasing' -- bomb20.yaml
# aliases within go-yaml's limit are linted as usual: 50 aliases of a 1,000-node list (98 % of
# 51,000 nodes aliased; 99 % allowed below 400,000), and refused past it: 500 aliases (500,000
# nodes, 99.8 % aliased, 96 % allowed)
python3 -c 'print("pipelineInfo: {name: fan}\nschemaVersion: 2.1.0\nx: &l [" + ", ".join(["a"] * 999) + "]\ny: [" + ", ".join(["*l"] * 50) + "]")' > fan50.yaml
expect alias-fan-50 1 'fan50.yaml:3:1: error: unknown field .x. in PipelineSpec' -- fan50.yaml
python3 -c 'print("pipelineInfo: {name: fan}\nschemaVersion: 2.1.0\nx: &l [" + ", ".join(["a"] * 999) + "]\ny: [" + ", ".join(["*l"] * 500) + "]")' > fan500.yaml
expect alias-fan-500 1 'fan500.yaml:4:5: error: document contains excessive aliasing: its aliases expand it from 1510 to 501010 nodes' -- fan500.yaml

# aliases and merge keys where they are meant to be used: a shared container, overridden
cat > anchors.yaml <<'YAML'
pipelineInfo: {name: anchors}
schemaVersion: 2.1.0
components:
  comp-a: {executorLabel: exec-a}
  comp-b: {executorLabel: exec-b}
deploymentSpec:
  executors:
    exec-a:
      container: &base
        image: python:3.11
        command: [python3, -c, 'print(1)']
    exec-b:
      container:
        <<: *base
        args: [--verbose]
root:
  dag:
    tasks:
      a: {taskInfo: {name: a}, componentRef: {name: comp-a}}
      b: {taskInfo: {name: b}, componentRef: {name: comp-b}, dependentTasks: [a]}
YAML
expect anchors-merge 0 '' -- --fail-on note anchors.yaml

# tags and non-string keys: no crash; an odd key in a closed schema is an unknown field
cat > tags.yaml <<'YAML'
pipelineInfo: {name: !!str tagged}
schemaVersion: !custom 2.1.0
? [complex, key]
: value
1: integer key
components: {c: {executorLabel: e}}
deploymentSpec: {executors: {e: {container: {image: 'python:3.11'}}}}
root: {dag: {tasks: {t: {componentRef: {name: c}}}}}
YAML
expect tags-keys 1 'tags.yaml:5:1: error: unknown field .1. in PipelineSpec' -- tags.yaml

# huge numbers: no overflow, a typed finding
cat > huge.yaml <<'YAML'
pipelineInfo: {name: huge}
schemaVersion: 2.1.0
components:
  c:
    executorLabel: e
    inputDefinitions: {parameters: {n: {parameterType: NUMBER_INTEGER}, f: {parameterType: NUMBER_DOUBLE}}}
deploymentSpec: {executors: {e: {container: {image: 'python:3.11', args: ["{{$.inputs.parameters['n']}}", "{{$.inputs.parameters['f']}}"]}}}}
root:
  dag:
    tasks:
      t:
        componentRef: {name: c}
        inputs:
          parameters:
            n: {runtimeValue: {constant: 1e400}}
            f: {runtimeValue: {constant: 99999999999999999999999999999999999999999}}
YAML
expect huge-numbers 1 'huge.yaml:15:42: error: the constant of task .t. for input .n. is a number, but the input is NUMBER_INTEGER' -- huge.yaml

printf 'pipelineInfo: {name: a}\npipelineInfo: {name: b}\n' > dup.yaml
expect duplicate-keys 1 'dup.yaml:2:1: error: duplicate key .pipelineInfo.' -- dup.yaml

# a directory with a symlink loop, a dangling link, a FIFO, a socket, an unreadable file:
# the pipeline in it is still linted, the rest is skipped or reported
mkdir -p dir/sub
cp "$FIX/rules/unknown-task/bad-typo.yaml" dir/pipeline.yaml
ln -s ../dir dir/sub/loop
ln -s /nonexistent.yaml dir/dangling.yaml
mkfifo dir/fifo.yaml
python3 -c 'import socket; s=socket.socket(socket.AF_UNIX); s.bind("dir/sock.yaml")'
cp "$GOOD" dir/unreadable.yaml; chmod 000 dir/unreadable.yaml
expect hostile-dir 1 'dir/pipeline.yaml:110:11: error: unknown task .trian.' -- dir
# named explicitly: the FIFO and socket are not read (no hang), the others still linted
expect fifo-named 2 'fifo.yaml.*not a regular file' -- dir/fifo.yaml dir/pipeline.yaml
expect fifo-named-others 2 'dir/pipeline.yaml:110:11' -- dir/fifo.yaml dir/pipeline.yaml
expect dangling-named 2 'cannot read .dir/dangling.yaml.' -- dir/dangling.yaml "$GOOD"
if [ "$(id -u)" != 0 ]; then
  expect unreadable 2 'cannot read .dir/unreadable.yaml.: Permission denied' -- dir/unreadable.yaml
else
  echo "NOTE: running as root: a mode-000 file is readable, so an unreadable file is /proc/self/mem (read fails with EIO)"
  expect unreadable-root 2 "cannot read '/proc/self/mem'" -- /proc/self/mem "$GOOD"
  mkdir dirfile.yaml
  expect directory-without-files 2 "no \\*.yaml, \\*.yml or \\*.json files in 'dirfile.yaml'" -- dirfile.yaml "$GOOD"
fi
# /dev/zero: read only up to the size limit, reported
expect dev-zero 1 '/dev/zero:1:1: error: file is larger than the --max-file-size limit' -- /dev/zero
# a path that is not valid UTF-8: linted, shown escaped, JSON stays valid
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$(printf 'bad-\xff.yaml')"
expect non-utf8-path 1 'bad-\\xFF.yaml:110:11' -- "$(printf 'bad-\xff.yaml')"
"$K" --no-config --format json "$(printf 'bad-\xff.yaml')" > p.json 2>/dev/null
if python3 -c 'import json,sys; d=json.load(open("p.json")); assert d["findings"][0]["path"]=="bad-\ufffd.yaml"'; then passed=$((passed+1)); else echo "FAIL non-utf8-path-json"; fails=$((fails+1)); fi

# output injection: a file name or config value with a terminal escape, or a newline followed by
# a GitHub workflow command, never reaches stderr or stdout raw (every diagnostic is escaped)
inj() { # NAME ARGS... : neither stream may carry ESC, BEL or a line starting a workflow command
  local name=$1; shift
  out=$(timeout 60 "$@" 2>&1)
  if grep -q $'[\033\007]' <<<"$out" || grep -q '^[[:space:]]*::' <<<"$out"; then
    echo "FAIL injection $name:"; cat -v <<<"$out" | head -5; fails=$((fails+1))
  elif ! grep -q '\\x1B' <<<"$out"; then
    echo "FAIL injection $name: the escaped name is not shown"; cat -v <<<"$out" | head -5; fails=$((fails+1))
  else passed=$((passed+1)); fi
}
evil=$'x\033[2J\007\n::error ::pwned'
mkdir inj; cp "$FIX/rules/unknown-task/bad-display-name.yaml" "inj/$evil.yaml"
inj cannot-read "$K" --no-config "inj/$evil-missing.yaml"
inj cannot-write "$K" --no-config -o "inj/$evil/r.txt" "$GOOD"
inj output-is-input "$K" --no-config -o "inj/$evil.yaml" "inj/$evil.yaml"
inj usage-error "$K" --no-config --format "$evil" "$GOOD"
inj diff-header "$K" --no-config --diff "inj/$evil.yaml"
chmod 444 "inj/$evil.yaml"
inj fix-read-only "$K" --no-config -q --fix "inj/$evil.yaml"
chmod 644 "inj/$evil.yaml"; ln "inj/$evil.yaml" inj/hard.yaml
inj fix-hard-link "$K" --no-config -q --fix "inj/$evil.yaml"
mkdir "inj/$evil.d"
inj no-files-in-dir "$K" --no-config "inj/$evil.d"
mkdir injc; printf '%s\n' 'exclude: ["\e[2J\n::error ::pwned"]' 'rules:' '  env-unset:' '    provided: ["\e]0;title\a"]' > injc/.kfplint.yaml
inj print-config "$K" --print-config injc/p.yaml
printf '%s\n' 'rules:' '  "\e[2J\n::error ::pwned": error' > injc/bad.yaml
inj config-error "$K" --config injc/bad.yaml "$GOOD"
# a path that itself starts a line with `::` (a directory named like a workflow command)
mkdir -p '::error ::pwned' '  ::warning ::pwned'; cp "$FIX/rules/unknown-task/bad-typo.yaml" "::error ::pwned/$evil.yaml"
cp injc/bad.yaml '  ::warning ::pwned/.kfplint.yaml'
inj path-at-line-start "$K" --no-config '::error ::pwned'
inj config-path-at-line-start "$K" --config '  ::warning ::pwned/.kfplint.yaml' "$GOOD"

# (a file that disappears between discovery and reading: tests/test_fix.c, in-process)

# 20,000 pipeline documents in one file, each with a duplicate key: every pipeline is linted
# (linear: the PlatformSpec search and the file-level rules run once, not per document)
python3 - <<'PY'
doc = ("pipelineInfo: {name: p%d}\nschemaVersion: 2.1.0\nschemaVersion: 2.1.0\n"
       "components: {comp-a: {executorLabel: exec-a}}\n"
       "deploymentSpec: {executors: {exec-a: {container: {image: 'a:1'}}}}\n"
       "root: {dag: {tasks: {a: {componentRef: {name: comp-b}}}}}\n")
open("many-docs.yaml", "w").write("---\n".join(doc % i for i in range(20000)))
PY
expect many-documents 1 'many-docs.yaml:139994:[0-9]+: error: a second pipeline spec in one file' -- --select multi-document many-docs.yaml
expect many-documents-linted 1 'many-docs.yaml:139999:47: error: unknown component .comp-b.' -- --select unknown-component many-docs.yaml

# every fuzzer-found input stays harmless
for f in "$FIX"/fuzz/*; do
  case "$f" in *README.md) continue ;; esac
  timeout 120 "$K" --no-config -q --select "$(
    "$K" --list-rules | awk '{print $1}' | paste -sd, -)" "$f" >/dev/null 2>&1
  rc=$?
  if [ $rc -le 2 ]; then passed=$((passed+1)); else echo "FAIL fuzz regression $f: exit $rc"; fails=$((fails+1)); fi
done

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
