#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
"""Assembles one LV2 bundle: copies the binaries, runs DPF's TTL generator on the DSP
binary inside the bundle, then adds the hand-written data from ttl/<plugin>/: every
*.ttl file is copied and manifest.extra.ttl is appended to the generated manifest."""
import argparse
import os
import re
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--generator', required=True)
    ap.add_argument('--bundle', required=True)
    ap.add_argument('--extra', required=True)
    ap.add_argument('binaries', nargs='+')
    a = ap.parse_args()

    tmp = a.bundle + '.tmp'
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for b in a.binaries:
        shutil.copy2(b, tmp)
    dsp = [os.path.basename(b) for b in a.binaries if b.endswith('_dsp.so')]
    if len(dsp) != 1:
        sys.exit('make_bundle: expected exactly one *_dsp.so, got %r' % a.binaries)
    r = subprocess.run([os.path.abspath(a.generator), './' + dsp[0]], cwd=tmp,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0 or not os.path.exists(os.path.join(tmp, 'manifest.ttl')):
        sys.exit('make_bundle: TTL generator failed:\n' + r.stdout)

    # DPF writes audio port symbols as "lv2_<symbol>"; publish the readable symbols the
    # plugin declares (in_l, out_r, sc_l...). Hosts address audio ports by index or by
    # these symbols; DPF itself never reads them back.
    for f in os.listdir(tmp):
        if f.endswith('_dsp.ttl'):
            path = os.path.join(tmp, f)
            with open(path) as fin:
                text = fin.read()
            text = re.sub(r'lv2:symbol "lv2_((?:in|out|sc)_[lr])"', r'lv2:symbol "\1"', text)
            with open(path, 'w') as fout:
                fout.write(text)

    if os.path.isdir(a.extra):
        for f in sorted(os.listdir(a.extra)):
            src = os.path.join(a.extra, f)
            if f == 'manifest.extra.ttl':
                with open(src) as fin, open(os.path.join(tmp, 'manifest.ttl'), 'a') as fout:
                    fout.write('\n# From ttl/%s/manifest.extra.ttl\n' % os.path.basename(a.extra))
                    fout.write(fin.read())
            elif f.endswith('.ttl'):
                shutil.copy2(src, tmp)

    shutil.rmtree(a.bundle, ignore_errors=True)
    os.rename(tmp, a.bundle)


if __name__ == '__main__':
    main()
