#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Builds the Debian packages from a clean copy of the tracked tree with
# dpkg-buildpackage -us -uc -b, runs lintian (fails on any error or warning),
# unpacks every .deb into a temporary root with dpkg -x, then loads and runs every
# packaged plugin from that root through the packaged mixwright-render, and runs
# every packaged executable's --help and --version.
# Usage: packaging/test-deb.sh [OUTDIR]   (OUTDIR keeps the .deb files and logs)
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)   # absolute: the build below runs in another directory
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

version=$(sed -n '1s/.*(\(.*\)).*/\1/p' "$src/packaging/debian/changelog")
tree="$work/mixwright-$version"
mkdir -p "$tree"
(cd "$src" && git ls-files -z | grep -zv '^packaging/debian/' | xargs -0 cp --parents -t "$tree") || fail "copy tree"
cp -r "$src/packaging/debian" "$tree/debian"

echo "== dpkg-buildpackage -us -uc -b"
if ! (cd "$tree" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1); then
  tail -n 40 "$out/build.log"
  fail "dpkg-buildpackage"
fi
debs=("$work"/*.deb)
[ -f "${debs[0]}" ] || fail "no .deb built"
cp "$work"/*.deb "$work"/*.changes "$out"/

echo "== lintian (default profile)"
lintian --fail-on error,warning "$work"/*.changes >"$out/lintian.log" 2>&1
lint=$?
cat "$out/lintian.log"
echo "lintian: $(grep -c '^E:' "$out/lintian.log") errors, $(grep -c '^W:' "$out/lintian.log") warnings (exit $lint)"
[ $lint -eq 0 ] || fail "lintian"

root="$work/root"
for d in "${debs[@]}"; do
  echo "== $(basename "$d")"
  dpkg-deb -c "$d" | awk '{print $6}'
  dpkg -x "$d" "$root" || fail "dpkg -x $d"
done

export LV2_PATH="$root/usr/lib/lv2:/usr/lib/lv2"
render="$root/usr/bin/mixwright-render"
[ -x "$render" ] || fail "mixwright-render is not packaged"
for exe in "$root"/usr/bin/*; do
  "$exe" --help >/dev/null || fail "$(basename "$exe") --help"
  v=$("$exe" --version) || fail "$(basename "$exe") --version"
  echo "$(basename "$exe") --help ok; --version: $v"
done

python3 "$src/tests/wavtool.py" tone "$work/in.wav" 1
uris=$(cat "$root"/usr/lib/lv2/mixwright-*.lv2/manifest.ttl | sed -n 's/^<\(urn:mixwright:[a-z0-9-]*\)>$/\1/p' | sort -u)
[ -n "$uris" ] || fail "no Mixwright plugin in the packages"
for uri in $uris; do
  "$render" -q "$work/in.wav" "$work/out.wav" -p "$uri" || fail "packaged $uri does not load or process"
  python3 "$src/tests/wavtool.py" stats "$work/out.wav" | head -n 1 | sed "s|^|$uri:|"
done
echo "packaging test passed: $(echo $uris | wc -w) plugins loaded from the unpacked packages"
