#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Every tracked source file names its licence with an SPDX header in its first lines.
set -u
cd "$1" || exit 1
missing=0
checked=0
while IFS= read -r f; do
  checked=$((checked + 1))
  if ! head -n 5 "$f" | grep -q 'SPDX-License-Identifier:'; then
    echo "no SPDX header: $f"
    missing=$((missing + 1))
  fi
done < <(
  # git's file list only where this directory is the top of a work tree: a release
  # tarball unpacked inside a checkout (meson dist does that in the build directory)
  # has no tracked files of its own.
  if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
    git ls-files '*.cpp' '*.hpp' '*.h' '*.c' '*.py' '*.sh' 'meson.build' '*/meson.build' '.ci/run'
  else # a release tarball
    find . -path './build*' -prune -o -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c' \
      -o -name '*.py' -o -name '*.sh' -o -name meson.build \) -print | sed 's|^\./||' | sort
  fi)
echo "$checked files checked, $missing without an SPDX header"
[ "$checked" -gt 0 ] && [ "$missing" -eq 0 ]
