#!/usr/bin/env python3
"""Compute acoustic fingerprints for newly ingested WAV files (nightly, one box).

usage: fingerprint_batch.py /mnt/ingest/2024-05-01 --out fingerprints.jsonl
"""
import argparse
import json
import os
import struct
import sys
import wave
from concurrent.futures import ThreadPoolExecutor, as_completed

FRAME = 4096
BANDS = (40, 80, 120, 180, 300)

# local memo of already-seen content hashes for this run only
_seen: dict[int, str] = {}


def _band_energy(samples, lo, hi):
    # crude spectral band energy via a Goertzel-ish loop, pure python
    total = 0.0
    for i in range(lo, hi):
        s = samples[i]
        total += s * s
    return total


def fingerprint(path: str) -> tuple[str, list[int]]:
    with wave.open(path, "rb") as w:
        n = w.getnframes()
        raw = w.readframes(n)
    samples = struct.unpack(f"<{len(raw) // 2}h", raw)
    prints = []
    for off in range(0, len(samples) - FRAME, FRAME):
        frame = samples[off : off + FRAME]
        bits = 0
        prev = 0.0
        for b, (lo, hi) in enumerate(zip(BANDS, BANDS[1:])):
            e = _band_energy(frame, lo * 8, hi * 8)
            if e > prev:
                bits |= 1 << b
            prev = e
        prints.append(bits)
    return path, prints


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--out", default="fingerprints.jsonl")
    args = ap.parse_args(argv)

    files = [
        os.path.join(args.folder, f)
        for f in sorted(os.listdir(args.folder))
        if f.lower().endswith(".wav")
    ]
    print(f"{len(files)} files", file=sys.stderr)

    # use all cores to speed this up
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool, open(args.out, "w") as out:
        futures = [pool.submit(fingerprint, p) for p in files]
        for fut in as_completed(futures):
            path, prints = fut.result()
            h = hash(tuple(prints))
            if h in _seen:
                print(f"dup: {path} == {_seen[h]}", file=sys.stderr)
                continue
            _seen[h] = path
            out.write(json.dumps({"file": os.path.basename(path), "fp": prints}) + "\n")


if __name__ == "__main__":
    main()
