#!/usr/bin/env python3
"""Batch analysis of a bat survey season, run by the county recorder.

    python -m batsurvey.transect_batch /data/season-2024 --out summary.csv

Each volunteer night is a folder of full-spectrum WAV snippets. Peak-frequency
estimation is pure CPU work, so recordings are spread over worker processes.
"""
import argparse
import csv
import logging
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import soundfile as sf

log = logging.getLogger("transect_batch")

FFT_SIZE = 1024


def peak_frequency_khz(path: str) -> tuple[str, float, int]:
    samples, rate = sf.read(path, dtype="float32")
    if samples.ndim > 1:
        samples = samples.mean(axis=1)
    frames = len(samples) // FFT_SIZE
    if frames == 0:
        return path, 0.0, 0
    windowed = samples[: frames * FFT_SIZE].reshape(frames, FFT_SIZE) * np.hanning(FFT_SIZE)
    spectrum = np.abs(np.fft.rfft(windowed, axis=1))
    loud = spectrum.max(axis=1) > spectrum.max() * 0.2
    if not loud.any():
        return path, 0.0, 0
    freqs = np.fft.rfftfreq(FFT_SIZE, d=1.0 / rate)
    peaks = freqs[spectrum[loud].argmax(axis=1)]
    return path, round(float(np.median(peaks)) / 1000, 1), int(loud.sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("season_dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path("summary.csv"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)

    recordings = sorted(str(p) for p in args.season_dir.glob("*/*.wav"))
    log.info("analysing %d recordings with %d processes", len(recordings), args.workers)

    failed = 0
    with ProcessPoolExecutor(max_workers=args.workers) as pool, args.out.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["night", "file", "peak_khz", "loud_frames"])
        futures = {pool.submit(peak_frequency_khz, r): r for r in recordings}
        for fut in as_completed(futures):
            try:
                path, peak, loud = fut.result()
            except Exception:
                failed += 1
                log.exception("could not analyse %s", futures[fut])
                continue
            p = Path(path)
            writer.writerow([p.parent.name, p.name, peak, loud])

    log.info("done: %d recordings, %d failed", len(recordings), failed)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
