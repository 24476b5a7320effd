"""Thumbnail generation for uploaded photos."""
import hashlib
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import boto3
from PIL import Image

s3 = boto3.client("s3")
SIZES = [(1600, 1600), (800, 800), (200, 200)]


def _resize_all(path: Path) -> list[Path]:
    out = []
    with Image.open(path) as img:
        for w, h in SIZES:
            copy = img.copy()
            copy.thumbnail((w, h), Image.LANCZOS)
            target = path.with_name(f"{path.stem}_{w}x{h}.jpg")
            copy.save(target, "JPEG", quality=85, optimize=True)
            out.append(target)
    return out


def fingerprint(path: Path) -> str:
    h = hashlib.blake2b()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def make_thumbnails(paths: list[Path]) -> list[list[Path]]:
    # resizing is CPU work: one process per core
    with ProcessPoolExecutor() as pool:
        return list(pool.map(_resize_all, paths))


def upload_all(paths: list[Path], bucket: str) -> None:
    # uploads wait on the network, threads are fine here
    with ThreadPoolExecutor(max_workers=16) as pool:
        for p in paths:
            pool.submit(s3.upload_file, str(p), bucket, p.name)


def fingerprints(paths: list[Path]) -> dict[Path, str]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(paths, pool.map(fingerprint, paths)))
