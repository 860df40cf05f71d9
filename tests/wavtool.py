#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
"""Tiny WAV helper for shell tests (Python's standard library only, 16/24-bit PCM).
  wavtool.py tone OUT.wav SECONDS [RATE]       stereo test signal (tones, L/R differ)
  wavtool.py ratio IN.wav OUT.wav GAIN         exit 0 if OUT == IN*GAIN within 1 LSB
  wavtool.py stats FILE.wav                    peak/RMS/DC per channel, correlation"""
import math
import struct
import sys
import wave


def read(path):
    with wave.open(path, 'rb') as w:
        ch, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
        raw = w.readframes(n)
    full = float(1 << (8 * width - 1))
    if width == 2:
        vals = struct.unpack('<%dh' % (len(raw) // 2), raw)
    elif width == 3:
        vals = [int.from_bytes(raw[i:i + 3], 'little', signed=True) for i in range(0, len(raw), 3)]
    else:
        sys.exit('unsupported sample width %d' % width)
    chans = [[v / full for v in vals[c::ch]] for c in range(ch)]
    return chans, rate, width


def tone(path, seconds, rate=48000):
    n = int(seconds * rate)
    frames = bytearray()
    for i in range(n):
        t = i / rate
        l = 0.3 * math.sin(2 * math.pi * 220 * t) + 0.1 * math.sin(2 * math.pi * 3000 * t) + 0.05
        r = 0.3 * math.sin(2 * math.pi * 220 * t + 0.4) + 0.08 * math.sin(2 * math.pi * 5000 * t) - 0.02
        frames += struct.pack('<hh', int(round(l * 32767)), int(round(r * 32767)))
    with wave.open(path, 'wb') as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


def stats(path):
    chans, rate, _ = read(path)
    out = []
    for c in chans:
        n = len(c)
        peak = max(abs(v) for v in c)
        rms = math.sqrt(sum(v * v for v in c) / n)
        dc = sum(c) / n
        out.append((peak, rms, dc))
    corr = 0.0
    if len(chans) == 2:
        a, b = chans
        sab = sum(x * y for x, y in zip(a, b))
        saa = sum(x * x for x in a)
        sbb = sum(y * y for y in b)
        corr = sab / math.sqrt(saa * sbb) if saa * sbb > 0 else 0.0
    return out, corr, rate, len(chans[0])


def db(x):
    return 20 * math.log10(x) if x > 0 else -math.inf


def main():
    cmd = sys.argv[1]
    if cmd == 'tone':
        tone(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 48000)
    elif cmd == 'ratio':
        a, _, width = read(sys.argv[2])
        b, _, _ = read(sys.argv[3])
        g = float(sys.argv[4])
        lsb = 1.0 / (1 << (8 * width - 1))
        if len(a) != len(b) or len(a[0]) != len(b[0]):
            sys.exit('length or channel count differs')
        worst = max(abs(y - x * g) for ca, cb in zip(a, b) for x, y in zip(ca, cb))
        print('worst deviation %.3g (%.2f LSB)' % (worst, worst / lsb))
        sys.exit(0 if worst <= 1.01 * lsb else 1)
    elif cmd == 'stats':
        chans, corr, rate, n = stats(sys.argv[2])
        for name, (peak, rms, dc) in zip('LR', chans):
            print('  %s: peak %6.2f dBFS  RMS %6.2f dBFS  DC %+.4f' % (name, db(peak), db(rms), dc))
        print('  correlation %+.3f  (%d frames at %d Hz)' % (corr, n, rate))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
