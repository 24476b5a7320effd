#!/usr/bin/env python3
"""Offline gearbox vibration report for one wind farm.

Usage:  gearbox_spectra.py /data/cms/2024-06 --out report.csv [--jobs 8]

Reads every accelerometer capture (.npy, 25.6 kHz, ~10 s) in the directory,
computes the envelope spectrum per capture and flags bearing-defect peaks.
Run by hand by the condition-monitoring engineer; single process, no server.
"""
import argparse
import csv
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy.signal import hilbert

FS = 25_600
# defect frequency multipliers of shaft speed for the main-bearing type
DEFECT_ORDERS = {"BPFO": 7.14, "BPFI": 9.86, "BSF": 2.93}


def analyse(path: str) -> dict:
    sig = np.load(path)
    rpm = float(Path(path).stem.split("_rpm")[-1])
    env = np.abs(hilbert(sig - sig.mean()))
    spec = np.abs(np.fft.rfft(env * np.hanning(len(env)))) / len(env)
    freqs = np.fft.rfftfreq(len(env), 1 / FS)
    shaft_hz = rpm / 60
    out = {"file": Path(path).name, "turbine": Path(path).stem.split("_")[0], "rpm": rpm}
    noise = np.median(spec)
    for name, order in DEFECT_ORDERS.items():
        band = (freqs > order * shaft_hz * 0.97) & (freqs < order * shaft_hz * 1.03)
        peak = spec[band].max() if band.any() else 0.0
        out[name] = round(float(peak / noise), 2)
    out["alarm"] = any(out[n] > 6.0 for n in DEFECT_ORDERS)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("directory")
    ap.add_argument("--out", default="gearbox_report.csv")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    args = ap.parse_args()

    files = sorted(str(p) for p in Path(args.directory).glob("*.npy"))
    worst: dict[str, dict] = {}  # turbine -> capture with the highest BPFO ratio

    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(analyse, files, chunksize=4))

    for r in rows:
        if r["turbine"] not in worst or r["BPFO"] > worst[r["turbine"]]["BPFO"]:
            worst[r["turbine"]] = r

    with open(args.out, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()) if rows else ["file"])
        w.writeheader()
        w.writerows(rows)

    for turbine, r in sorted(worst.items()):
        flag = "ALARM" if r["alarm"] else "ok"
        print(f"{turbine:>8}  BPFO x{r['BPFO']:<6} BPFI x{r['BPFI']:<6} {flag}")


if __name__ == "__main__":
    main()
