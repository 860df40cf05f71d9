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
    ap.add_argument('--target-presets', help='delivery-targets JSON: one preset per target')
    ap.add_argument('--uri', help='plugin URI (with --target-presets)')
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

    if a.target_presets:
        write_target_presets(tmp, a.target_presets, a.uri)

    shutil.rmtree(a.bundle, ignore_errors=True)
    os.rename(tmp, a.bundle)


def write_target_presets(bundle, json_path, uri):
    """One preset per delivery target (data/delivery-targets.json): the limiter's
    ceiling is the target's true-peak limit, with true-peak detection on. Only these
    two controls are stored, so a preset keeps the user's other settings."""
    import json
    with open(json_path) as f:
        targets = json.load(f)['targets']
    head = ('@prefix lv2:  <http://lv2plug.in/ns/lv2core#> .\n'
            '@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n'
            '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n')
    presets = [head + '# Generated from %s by lv2/make_bundle.py.\n' % os.path.basename(json_path)]
    manifest = ['\n# Delivery-target presets, generated from %s\n' % os.path.basename(json_path)]
    for t in targets:
        # The stable id names the preset (display names may change); URIs are forever.
        slug = re.sub(r'[^a-z0-9]+', '-', t.get('id', t['name']).lower()).strip('-')
        puri = '%s#preset-target-%s' % (uri, slug)
        label = '%s (%g LUFS, %g dBTP)' % (t['name'], t['integrated_lufs'], t['true_peak_dbtp'])
        presets.append('<%s>\n    a pset:Preset ;\n    lv2:appliesTo <%s> ;\n    rdfs:label "%s" ;\n'
                       '    lv2:port [ lv2:symbol "ceiling" ; pset:value %.2f ] ,\n'
                       '        [ lv2:symbol "detection" ; pset:value 1.0 ] .\n\n'
                       % (puri, uri, label, float(t['true_peak_dbtp'])))
        manifest.append('<%s>\n    a <http://lv2plug.in/ns/ext/presets#Preset> ;\n'
                        '    <http://lv2plug.in/ns/lv2core#appliesTo> <%s> ;\n'
                        '    <http://www.w3.org/2000/01/rdf-schema#seeAlso> <target-presets.ttl> .\n\n'
                        % (puri, uri))
    with open(os.path.join(bundle, 'target-presets.ttl'), 'w') as f:
        f.write(''.join(presets))
    with open(os.path.join(bundle, 'manifest.ttl'), 'a') as f:
        f.write(''.join(manifest))


if __name__ == '__main__':
    main()
