"""Frame stacking for observatory exports.

Runs inside the standalone `stacker` service (python -m observatory.stacker),
never in the web process. Raw frames are fetched from the archive with a small
thread pool (network-bound), then calibration and median stacking run in a
process pool so the numeric work uses every core.
"""
import logging
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import httpx
import numpy as np
from astropy.io import fits

log = logging.getLogger(__name__)

ARCHIVE_URL = os.environ["ARCHIVE_URL"]
CALIBRATION_ROOT = Path(os.environ.get("CALIBRATION_ROOT", "/srv/calibration"))
CPU_WORKERS = max(1, (os.cpu_count() or 2) - 1)
DOWNLOAD_WORKERS = 6

_http = httpx.Client(
    base_url=ARCHIVE_URL,
    timeout=httpx.Timeout(30.0, connect=5.0),
    limits=httpx.Limits(max_connections=DOWNLOAD_WORKERS),
)


def _download(frame_id: str, dest_dir: Path) -> Path:
    dest = dest_dir / f"{frame_id}.fits"
    with _http.stream("GET", f"/frames/{frame_id}") as resp:
        resp.raise_for_status()
        with dest.open("wb") as fh:
            for chunk in resp.iter_bytes(1 << 20):
                fh.write(chunk)
    return dest


@lru_cache(maxsize=16)
def _master_dark(camera_id: str, exposure_s: int) -> np.ndarray:
    path = CALIBRATION_ROOT / camera_id / f"dark_{exposure_s}s.fits"
    return fits.getdata(path).astype(np.float32)


def _stack_band(args: tuple) -> tuple[int, np.ndarray]:
    """Calibrate and median-combine rows y0..y1 of every frame (runs in a child process)."""
    paths, camera_id, exposure_s, y0, y1 = args
    dark = _master_dark(camera_id, exposure_s)[y0:y1]
    band = np.stack(
        [fits.getdata(p, memmap=True)[y0:y1].astype(np.float32) - dark for p in paths]
    )
    return y0, np.median(band, axis=0)


def stack_frames(frame_ids: list[str], camera_id: str, exposure_s: int, workdir: Path) -> np.ndarray:
    if len(frame_ids) < 3:
        raise ValueError("need at least three frames to median-stack")

    with ThreadPoolExecutor(max_workers=DOWNLOAD_WORKERS, thread_name_prefix="fetch") as io_pool:
        paths = list(io_pool.map(lambda fid: _download(fid, workdir), frame_ids))

    height, width = fits.getdata(paths[0]).shape
    band = max(64, height // (CPU_WORKERS * 2))
    jobs = [
        (paths, camera_id, exposure_s, y, min(y + band, height))
        for y in range(0, height, band)
    ]

    result = np.empty((height, width), dtype=np.float32)
    with ProcessPoolExecutor(max_workers=CPU_WORKERS) as cpu_pool:
        for y0, rows in cpu_pool.map(_stack_band, jobs):
            result[y0:y0 + rows.shape[0]] = rows

    log.info("stacked %d frames (%dx%d) on %d processes", len(paths), width, height, CPU_WORKERS)
    return result
