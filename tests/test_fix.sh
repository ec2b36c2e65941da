#!/usr/bin/env bash
# --fix and --diff on the built binary: --diff matches what --fix writes, --fix is idempotent,
# stdin --fix prints the fixed text, exit codes. Usage: test_fix.sh KFPLINT FIXTURES
set -u
K=$(realpath "$1")
FIX=$(realpath "$2")
fails=0 passed=0
ok() { passed=$((passed+1)); }
bad() { echo "FAIL $*"; fails=$((fails+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for fixed in "$FIX"/rules/*/bad-*.fixed.*; do
  dir=$(dirname "$fixed"); rule=$(basename "$dir")
  name=$(basename "$fixed" | sed 's/\.fixed\././')
  w=$tmp/$rule; mkdir -p "$w/a" "$w/b"
  [ -f "$dir/.kfplint.yaml" ] && cp "$dir/.kfplint.yaml" "$w/a/" && cp "$dir/.kfplint.yaml" "$w/b/"
  cp "$dir/$name" "$w/a/$name"; cp "$dir/$name" "$w/b/$name"
  (cd "$w/a" && "$K" --diff --unsafe-fixes --select "$rule" "$name" > ../d.patch); drc=$?
  [ $drc -eq 1 ] && ok || bad "$rule/$name: --diff exit $drc, want 1"
  (cd "$w/b" && "$K" -q --fix --unsafe-fixes --select "$rule" --fail-on never "$name" >/dev/null 2>&1)
  (cd "$w/a" && patch -s -p1 < ../d.patch) || bad "$rule/$name: the diff does not apply"
  cmp -s "$w/a/$name" "$w/b/$name" && ok || bad "$rule/$name: --diff differs from what --fix writes"
  cmp -s "$w/b/$name" "$fixed" && ok || bad "$rule/$name: --fix result differs from the golden file"
  before=$(md5sum < "$w/b/$name")
  (cd "$w/b" && "$K" -q --fix --unsafe-fixes --select "$rule" --fail-on never "$name" >/dev/null 2>&1)
  [ "$before" = "$(md5sum < "$w/b/$name")" ] && ok || bad "$rule/$name: a second --fix changed the file"
  (cd "$w/b" && "$K" --diff --unsafe-fixes --select "$rule" "$name" >/dev/null); [ $? -eq 0 ] && ok || bad "$rule/$name: --diff after --fix is not empty"
done

# unsafe fixes need --unsafe-fixes
cp "$FIX/rules/unknown-task/bad-typo.yaml" "$tmp/u.yaml"
"$K" -q --fix --fail-on never "$tmp/u.yaml" >/dev/null 2>&1
cmp -s "$tmp/u.yaml" "$FIX/rules/unknown-task/bad-typo.yaml" && ok || bad "an unsafe fix was applied without --unsafe-fixes"

# stdin: the fixed text goes to stdout
out=$("$K" --fix --stdin-filename p.yaml - < "$FIX/rules/unknown-task/bad-display-name.yaml" 2>/dev/null)
cmp -s <(printf '%s\n' "$out") "$FIX/rules/unknown-task/bad-display-name.fixed.yaml" && ok || bad "stdin --fix did not print the fixed text"

# the remaining findings are reported after --fix
cp "$FIX/examples/broken_ml_pipeline.yaml" "$tmp/r.yaml"
out=$("$K" -q --fix "$tmp/r.yaml" 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "env-unset" <<<"$out" && ok || bad "--fix does not report what remains (rc=$rc)"

# a file that does not parse is never touched
printf 'pipelineInfo:\n  name: My_Name\n root: {}\n' > "$tmp/broken.yaml"
cp "$tmp/broken.yaml" "$tmp/broken.orig"
"$K" -q --fix --unsafe-fixes "$tmp/broken.yaml" >/dev/null 2>&1
cmp -s "$tmp/broken.yaml" "$tmp/broken.orig" && ok || bad "an unparsable file was modified"

# --fix on stdin: stdout carries the document and nothing else, fixed or not (like ruff check
# --fix -); the report goes to stderr
for f in "$FIX/examples/ml_pipeline.yaml" "$FIX/rules/unknown-task/bad-typo.yaml" "$tmp/broken.yaml"; do
  "$K" --fix - < "$f" > "$tmp/stdin.out" 2>"$tmp/stdin.err"
  cmp -s "$tmp/stdin.out" "$f" && ok || bad "stdin --fix with nothing fixed does not print the document unchanged ($(basename "$f"))"
done
"$K" --fix - < "$FIX/examples/ml_pipeline.yaml" 2>"$tmp/stdin.err" >/dev/null
grep -q "no problems found" "$tmp/stdin.err" && ok || bad "stdin --fix: the report is not on stderr"
"$K" --fix --stdin-filename p.yaml -f json - < "$FIX/rules/unknown-task/bad-display-name.yaml" > "$tmp/stdin.out" 2>/dev/null
cmp -s "$tmp/stdin.out" "$FIX/rules/unknown-task/bad-display-name.fixed.yaml" && ok || bad "stdin --fix -f json: stdout is not the fixed document"
# --diff on stdin: stdout is the diff only (empty when nothing changes)
out=$("$K" --diff - < "$FIX/examples/ml_pipeline.yaml" 2>/dev/null); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] && ok || bad "stdin --diff with nothing to fix: rc=$rc, stdout: $out"
out=$("$K" --diff --stdin-filename p.yaml - < "$FIX/rules/unknown-task/bad-display-name.yaml" 2>/dev/null); rc=$?
[ $rc -eq 1 ] && [ "$(head -1 <<<"$out")" = "--- a/p.yaml" ] && ! grep -q "error:" <<<"$out" && ok || bad "stdin --diff: stdout is not just the diff (rc=$rc)"

# a symbolic link stays a link; the file it names is fixed
mkdir "$tmp/ln"; cp "$FIX/rules/unknown-task/bad-display-name.yaml" "$tmp/ln/target.yaml"
ln -s target.yaml "$tmp/ln/link.yaml"
"$K" -q --fix --fail-on never "$tmp/ln/link.yaml" >/dev/null 2>&1
[ -L "$tmp/ln/link.yaml" ] && ok || bad "--fix replaced the symbolic link with a file"
cmp -s "$tmp/ln/target.yaml" "$FIX/rules/unknown-task/bad-display-name.fixed.yaml" && ok || bad "--fix through a symbolic link did not fix its target"
# a hard link is not split: refused, exit 2, both names keep the same (unfixed) file
cp "$FIX/rules/unknown-task/bad-display-name.yaml" "$tmp/ln/h1.yaml"; ln "$tmp/ln/h1.yaml" "$tmp/ln/h2.yaml"
out=$("$K" -q --fix --fail-on never "$tmp/ln/h1.yaml" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q "hard links" <<<"$out" && ok || bad "--fix on a hard link: rc=$rc, want 2 and a message: $out"
[ "$(stat -c %h "$tmp/ln/h1.yaml")" = 2 ] && cmp -s "$tmp/ln/h1.yaml" "$FIX/rules/unknown-task/bad-display-name.yaml" && ok || bad "--fix split a hard link"
# a read-only file is not written (even by root): exit 2
cp "$FIX/rules/unknown-task/bad-display-name.yaml" "$tmp/ln/ro.yaml"; chmod 444 "$tmp/ln/ro.yaml"
out=$("$K" -q --fix --fail-on never "$tmp/ln/ro.yaml" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q "read-only" <<<"$out" && ok || bad "--fix on a read-only file: rc=$rc, want 2 and a message: $out"
cmp -s "$tmp/ln/ro.yaml" "$FIX/rules/unknown-task/bad-display-name.yaml" && ok || bad "--fix wrote a read-only file"
[ "$(stat -c %a "$tmp/ln/ro.yaml")" = 444 ] && ok || bad "--fix changed a read-only file's mode"
# owner and group are kept when root fixes another user's file
if [ "$(id -u)" = 0 ]; then
  cp "$FIX/rules/unknown-task/bad-display-name.yaml" "$tmp/ln/other.yaml"; chown 4242:4343 "$tmp/ln/other.yaml"
  "$K" -q --fix --fail-on never "$tmp/ln/other.yaml" >/dev/null 2>&1
  [ "$(stat -c %u:%g "$tmp/ln/other.yaml")" = 4242:4343 ] && ok || bad "--fix as root handed another user's file to $(stat -c %u:%g "$tmp/ln/other.yaml")"
  cmp -s "$tmp/ln/other.yaml" "$FIX/rules/unknown-task/bad-display-name.fixed.yaml" && ok || bad "--fix as root did not fix another user's file"
else
  echo "SKIPPED: not root, the owner/group check of --fix needs chown"
fi
[ -z "$(find "$tmp/ln" -name '.kfplint-*')" ] && ok || bad "a temporary file was left behind"

# a file saved while `kfplint --fix` is still busy with other inputs is not overwritten with a fix
# of the bytes it had before: kfplint -j 1 reads a.yaml, then blocks reading a terminal the test
# holds; the test saves a.yaml (in place), then hangs the terminal up and kfplint goes on to fix
mkdir "$tmp/race"; { echo "# the user's edit, saved meanwhile"; cat "$FIX/rules/unknown-task/bad-display-name.fixed.yaml"; } > "$tmp/race/edit.yaml"
python3 - "$K" "$FIX/rules/unknown-task/bad-display-name.yaml" "$tmp/race/edit.yaml" "$tmp/race" <<'PY'
import os, sys, subprocess, time, shutil
K, bad, edit, work = sys.argv[1:5]
a = os.path.join(work, "a.yaml")
shutil.copyfile(bad, a)
try:
    master, slave = os.openpty()
except OSError as e:
    print(f"SKIPPED: no pseudo-terminal ({e}); the changed-while-fixing check is in test_fix.c only")
    sys.exit(0)
pts = os.ttyname(slave)
p = subprocess.Popen([K, "-q", "--no-config", "--fix", "-j", "1", "--fail-on", "never", a, pts],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
deadline = time.time() + 120  # only a guard against a hang
while time.time() < deadline and p.poll() is None:
    try:
        if any(os.readlink(f"/proc/{p.pid}/fd/{fd}") == pts for fd in os.listdir(f"/proc/{p.pid}/fd")):
            break  # inputs are read in order with -j 1: a.yaml has been read
    except OSError:
        pass
    time.sleep(0.01)
else:
    print("FAIL changed-while-fixing: kfplint never read the terminal"); p.kill(); sys.exit(1)
shutil.copyfile(edit, a)  # the user saves, in place
os.close(master)          # kfplint's read of the terminal fails; it goes on to --fix a.yaml
err = p.communicate(timeout=120)[1].decode(errors="replace")
if open(a, "rb").read() != open(edit, "rb").read():
    print("FAIL changed-while-fixing: the user's edit was overwritten"); sys.exit(1)
if p.returncode != 2 or "changed after it was read" not in err:
    print(f"FAIL changed-while-fixing: exit {p.returncode}, stderr: {err}"); sys.exit(1)
PY
[ $? -eq 0 ] && ok || fails=$((fails+1))

t() { "$@" >/dev/null 2>&1; echo $?; }
[ "$(t "$K" --fix --diff "$tmp/r.yaml")" = 2 ] && ok || bad "--fix with --diff is not a usage error"
[ "$(t "$K" --unsafe-fixes "$tmp/r.yaml")" = 2 ] && ok || bad "--unsafe-fixes alone is not a usage error"

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
