"""
Thumbnail service used by the upload pipeline.

POST /thumbnails  -> resizes an uploaded image to every rendition size,
                     computes a perceptual hash for duplicate detection.
"""
import asyncio
import hashlib
import io
import logging

import imagehash
from fastapi import FastAPI, File, HTTPException, UploadFile
from PIL import Image, UnidentifiedImageError

from thumbs.storage import put_object  # async S3 upload helper (aioboto3, timeouts configured there)

log = logging.getLogger("thumbs")
app = FastAPI()

RENDITIONS = {"xl": (1600, 1600), "lg": (1024, 1024), "md": (512, 512), "sm": (256, 256), "xs": (96, 96)}
MAX_UPLOAD_BYTES = 25 * 1024 * 1024

# Resizing is the slow part, so fan it out: one worker per rendition.
from concurrent.futures import ThreadPoolExecutor
_resize_pool = ThreadPoolExecutor(max_workers=len(RENDITIONS) * 2)

# sha256 of upload -> perceptual hash; re-uploads of the same file skip the work
_phash_by_digest: dict[str, str] = {}


def _render(data: bytes, size: tuple[int, int]) -> bytes:
    img = Image.open(io.BytesIO(data))
    img = img.convert("RGB")
    img.thumbnail(size, Image.LANCZOS)
    out = io.BytesIO()
    img.save(out, format="WEBP", quality=82, method=6)
    return out.getvalue()


def _perceptual_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    cached = _phash_by_digest.get(digest)
    if cached is not None:
        return cached
    value = str(imagehash.phash(Image.open(io.BytesIO(data)), hash_size=16))
    _phash_by_digest[digest] = value
    return value


@app.post("/thumbnails")
async def create_thumbnails(file: UploadFile = File(...)):
    data = await file.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, "file too large")
    try:
        Image.open(io.BytesIO(data)).verify()
    except UnidentifiedImageError:
        raise HTTPException(415, "not an image")

    loop = asyncio.get_running_loop()
    jobs = {
        name: loop.run_in_executor(_resize_pool, _render, data, size)
        for name, size in RENDITIONS.items()
    }
    phash_job = loop.run_in_executor(_resize_pool, _perceptual_hash, data)

    results = dict(zip(jobs.keys(), await asyncio.gather(*jobs.values())))
    phash = await phash_job

    base = hashlib.sha256(data).hexdigest()[:16]
    keys = {name: f"thumbs/{base}/{name}.webp" for name in results}
    await asyncio.gather(*(
        put_object(keys[name], blob, content_type="image/webp") for name, blob in results.items()
    ))

    log.info("rendered %s (%d bytes) phash=%s", file.filename, len(data), phash)
    return {"renditions": keys, "phash": phash}
