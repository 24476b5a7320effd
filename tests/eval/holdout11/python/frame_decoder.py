#!/usr/bin/env python3
"""Convert a shift's worth of AMR lidar captures (.lcap) into compressed occupancy tiles
and upload them to S3 for the fleet map builder.

    python frame_decoder.py /data/captures/2024-05-02 --bucket wh7-fleet-maps

Runs nightly on the site edge box, one process tree per site.
"""
import argparse
import io
import logging
import os
import struct
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

import boto3
import numpy as np
from botocore.config import Config

log = logging.getLogger("frame_decoder")
POINT = np.dtype([("x", "<f4"), ("y", "<f4"), ("z", "<f4"), ("i", "<u2")])
TILE_M = 5.0
CELL_M = 0.05

s3 = boto3.client(
    "s3",
    config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 6, "mode": "adaptive"}),
)


def capture_to_tiles(path: str) -> dict[str, bytes]:
    """CPU heavy: parse the capture, bin points into 5 m tiles, rasterise each tile."""
    raw = Path(path).read_bytes()
    (n_points,) = struct.unpack_from("<I", raw, 0)
    pts = np.frombuffer(raw, dtype=POINT, count=n_points, offset=4)
    pts = pts[(pts["z"] > 0.05) & (pts["z"] < 2.2)]  # drop floor and ceiling returns
    tx = np.floor(pts["x"] / TILE_M).astype(np.int32)
    ty = np.floor(pts["y"] / TILE_M).astype(np.int32)
    tiles = {}
    for key in set(zip(tx.tolist(), ty.tolist())):
        sel = pts[(tx == key[0]) & (ty == key[1])]
        size = int(TILE_M / CELL_M)
        grid = np.zeros((size, size), dtype=np.uint8)
        cx = ((sel["x"] - key[0] * TILE_M) / CELL_M).astype(int).clip(0, size - 1)
        cy = ((sel["y"] - key[1] * TILE_M) / CELL_M).astype(int).clip(0, size - 1)
        grid[cy, cx] = 255
        buf = io.BytesIO()
        np.savez_compressed(buf, grid=grid)
        tiles[f"{key[0]}_{key[1]}"] = buf.getvalue()
    return tiles


def upload(bucket: str, prefix: str, name: str, blob: bytes) -> str:
    key = f"{prefix}/{name}.npz"
    s3.put_object(Bucket=bucket, Key=key, Body=blob)
    return key


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("capture_dir")
    ap.add_argument("--bucket", required=True)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO)

    captures = sorted(str(p) for p in Path(args.capture_dir).glob("*.lcap"))
    prefix = f"tiles/{Path(args.capture_dir).name}"

    # rasterising is CPU-bound -> processes; S3 uploads are network-bound -> threads
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as cpu_pool, \
            ThreadPoolExecutor(max_workers=16) as io_pool:
        uploads = []
        for cap, tiles in zip(captures, cpu_pool.map(capture_to_tiles, captures, chunksize=4)):
            log.info("%s -> %d tiles", Path(cap).name, len(tiles))
            for name, blob in tiles.items():
                uploads.append(io_pool.submit(upload, args.bucket, f"{prefix}/{Path(cap).stem}", name, blob))
        failed = 0
        for fut in as_completed(uploads):
            try:
                fut.result()
            except Exception:
                failed += 1
                log.exception("tile upload failed")
        if failed:
            raise SystemExit(f"{failed} tile uploads failed")


if __name__ == "__main__":
    main()
