# is this OK for the CPU-heavy part? ~2k drone thermal frames per site survey
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from PIL import Image


def hotspot_score(path: str) -> tuple[str, float]:
    frame = np.asarray(Image.open(path).convert("F"))
    baseline = np.median(frame)
    return path, float((frame > baseline + 12.0).mean())


def score_survey(paths: list[str]) -> list[tuple[str, float]]:
    with ProcessPoolExecutor() as pool:  # one process per core, no GIL contention
        return sorted(pool.map(hotspot_score, paths, chunksize=32), key=lambda r: -r[1])
