#!/usr/bin/env bash
# Installation: `cmake --install` puts the binary, the man page and the docs in the GNU places,
# and `cpack -G DEB` builds a Debian package that lists them, installs into a scratch root
# (dpkg -x) and runs from there. Usage: test_install.sh BUILD_DIR REPO_ROOT
set -u
B=$(realpath "$1")
ROOT=$(realpath "$2")
fails=0 passed=0
ok() { local name=$1; shift; if "$@"; then passed=$((passed+1)); else echo "FAIL $name"; fails=$((fails+1)); fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
version=$(sed -n 's/^project(kfplint VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")

# cmake --install into a prefix (and with DESTDIR, as distributions do)
ok install cmake --install "$B" --prefix "$tmp/prefix" >/dev/null
for f in bin/kfplint share/man/man1/kfplint.1 share/doc/kfplint/README.md share/doc/kfplint/LICENSE \
         share/doc/kfplint/ci.md share/doc/kfplint/output.schema.json; do
  ok "installed-$f" test -f "$tmp/prefix/$f"
done
ok install-runs bash -c "'$tmp/prefix/bin/kfplint' --version | grep -qx 'kfplint $version'"
ok install-destdir env DESTDIR="$tmp/dest" cmake --install "$B" --prefix /usr >/dev/null
ok destdir-binary test -x "$tmp/dest/usr/bin/kfplint"
if command -v man >/dev/null 2>&1; then
  ok man-renders bash -c "MANWIDTH=80 man -l '$tmp/prefix/share/man/man1/kfplint.1' 2>/dev/null | grep -q -- '--statistics'"
fi

# the Debian package
if ! command -v dpkg-deb >/dev/null 2>&1 || ! command -v cpack >/dev/null 2>&1; then
  echo "FAIL dpkg-deb and cpack are needed (apt-get install dpkg-dev cmake)"; exit 1
fi
ok cpack bash -c "cd '$tmp' && cpack --config '$B/CPackConfig.cmake' -G DEB -B '$tmp/pkg' >'$tmp/cpack.log' 2>&1 || { cat '$tmp/cpack.log'; false; }"
deb=$(ls "$tmp"/pkg/kfplint_*.deb 2>/dev/null | head -1)
ok deb-built test -n "$deb"
if [ -n "$deb" ]; then
  contents=$(dpkg-deb -c "$deb")
  for f in ./usr/bin/kfplint ./usr/share/man/man1/kfplint.1 ./usr/share/doc/kfplint/README.md ./usr/share/doc/kfplint/LICENSE; do
    ok "deb-has-$f" grep -qF " $f" <<<"$contents"
  done
  ok deb-no-build-paths bash -c "! grep -qE '/(tmp|work|home)/' <<<\"\$1\"" _ "$contents"
  ok deb-version bash -c "dpkg-deb -f '$deb' Version | grep -qx '$version'"
  ok deb-depends bash -c "dpkg-deb -f '$deb' Depends | grep -q libyaml"
  ok deb-extract dpkg -x "$deb" "$tmp/root"
  ok deb-runs bash -c "'$tmp/root/usr/bin/kfplint' --version | grep -qx 'kfplint $version'"
  ok deb-lints bash -c "'$tmp/root/usr/bin/kfplint' --no-config '$ROOT/fixtures/examples/ml_pipeline.yaml' >/dev/null"
fi
echo "test_install: $passed passed, $fails failed"
[ "$fails" -eq 0 ]
