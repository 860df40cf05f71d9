#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
"""Counts meson test results over several build folders (meson-logs/testlog.json),
plus checks run outside meson (--extra name=ok|fail), and prints one line
'N passed, N failed'. A build whose log is missing counts as one
failure, so a build that never ran tests cannot look green."""
import json
import os
import sys

passed = failed = skipped = 0
args = sys.argv[1:]
dirs = []
while args:
    a = args.pop(0)
    if a == '--extra':  # name=ok|fail: a check run outside meson test
        name, _, result = args.pop(0).partition('=')
        if result == 'ok':
            passed += 1
        else:
            failed += 1
            print('FAILED: %s' % name)
    else:
        dirs.append(a)
for d in dirs:
    path = os.path.join(d, 'meson-logs', 'testlog.json')
    if not os.path.exists(path):
        print('%s: no test log' % d)
        failed += 1
        continue
    n = 0
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            n += 1
            res = r.get('result')
            if res in ('OK', 'EXPECTEDFAIL'):
                passed += 1
            elif res == 'SKIP':
                skipped += 1
            else:
                failed += 1
                print('FAILED: %s %s (%s)' % (d, r.get('name'), res))
    if n == 0:
        print('%s: ran no test' % d)
        failed += 1
print('%d passed, %d failed' % (passed, failed) + (', %d skipped' % skipped if skipped else ''))
sys.exit(1 if failed else 0)
