#!/usr/bin/env python3
"""
Post-flight souvenir photo processing for the balloon crew.

Run by the Celery worker `photos.process_flight` after the basket camera's SD
card is synced to /srv/flights/<flight_id>/raw. For every passenger photo we:
  - fix orientation and resize to the 2048px print size and a 400px thumbnail
  - stamp the company watermark
  - compute a difference hash so near-duplicate burst shots are dropped
A flight produces 300-900 photos.
"""
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageOps

log = logging.getLogger(__name__)

PRINT_SIZE = (2048, 2048)
THUMB_SIZE = (400, 400)
WATERMARK = Image.open("/srv/assets/watermark.png").convert("RGBA")


def _dhash(img: Image.Image, size: int = 16) -> int:
    small = img.convert("L").resize((size + 1, size), Image.Resampling.LANCZOS)
    px = list(small.getdata())
    bits = 0
    for row in range(size):
        for col in range(size):
            left = px[row * (size + 1) + col]
            right = px[row * (size + 1) + col + 1]
            bits = (bits << 1) | (left > right)
    return bits


def _process_one(src: Path, out_dir: Path) -> tuple[str, int]:
    with Image.open(src) as im:
        im = ImageOps.exif_transpose(im).convert("RGBA")
        im.thumbnail(PRINT_SIZE, Image.Resampling.LANCZOS)
        wm = WATERMARK.resize((im.width // 5, im.width // 5 * WATERMARK.height // WATERMARK.width))
        im.alpha_composite(wm, (im.width - wm.width - 24, im.height - wm.height - 24))
        rgb = im.convert("RGB")
        rgb.save(out_dir / "print" / src.name, "JPEG", quality=90)
        thumb = rgb.copy()
        thumb.thumbnail(THUMB_SIZE)
        thumb.save(out_dir / "thumb" / src.name, "JPEG", quality=80)
        return src.name, _dhash(rgb)


def _hamming(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def process_flight(flight_dir: Path) -> list[str]:
    raw = sorted((flight_dir / "raw").glob("*.jpg"))
    out = flight_dir / "processed"
    (out / "print").mkdir(parents=True, exist_ok=True)
    (out / "thumb").mkdir(parents=True, exist_ok=True)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda p: _process_one(p, out), raw))

    kept, hashes = [], []
    for name, h in results:
        if any(_hamming(h, other) <= 6 for other in hashes):
            log.debug("dropping near-duplicate %s", name)
            continue
        hashes.append(h)
        kept.append(name)
    log.info("flight %s: %d photos, %d kept", flight_dir.name, len(raw), len(kept))
    return kept
