"""Lost-and-found photo intake job.

Desk staff snap items on a tablet; originals land in s3://<bucket>/inbox/<airport>/.
This job (systemd timer, every 5 min, one instance) makes thumb/card/zoom variants with the
airport's watermark, uploads them, flags the items as photographed and clears the inbox.
"""
import io
import json
import logging
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import boto3
import psycopg2
from botocore.config import Config
from PIL import Image, ImageDraw, ImageOps

log = logging.getLogger("photo_intake")

BUCKET = os.environ["LOSTFOUND_BUCKET"]
S3 = boto3.client("s3", config=Config(connect_timeout=3, read_timeout=15,
                                      retries={"max_attempts": 4, "mode": "standard"}))
SIZES = {"thumb": (240, 240), "card": (640, 640), "zoom": (1600, 1600)}


def _load_watermarks():
    with open(os.environ.get("AIRPORT_CONFIG", "/etc/lostfound/airports.json")) as f:
        return {a["code"]: a["watermark_text"] for a in json.load(f)}


# read once at start-up; the file only changes on deploy
WATERMARKS = _load_watermarks()


def _download(key):
    return key, S3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def _render_variants(args):
    """CPU-heavy: decode, rotate, resize, watermark, re-encode. Runs in a worker process."""
    key, raw, watermark = args
    img = ImageOps.exif_transpose(Image.open(io.BytesIO(raw))).convert("RGB")
    out = {}
    for name, box in SIZES.items():
        v = img.copy()
        v.thumbnail(box, Image.LANCZOS)
        ImageDraw.Draw(v).text((8, v.height - 20), watermark, fill=(255, 255, 255))
        buf = io.BytesIO()
        v.save(buf, "JPEG", quality=82, optimize=True)
        out[name] = buf.getvalue()
    return key, out


def _upload(item):
    key, name, body = item
    item_ref = key.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    S3.put_object(Bucket=BUCKET, Key=f"items/{item_ref}/{name}.jpg", Body=body, ContentType="image/jpeg")


def process_airport(conn, airport):
    keys = []
    for page in S3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=f"inbox/{airport}/"):
        keys += [o["Key"] for o in page.get("Contents", [])]
    if not keys:
        return 0

    with ThreadPoolExecutor(max_workers=8) as io_pool:          # network-bound
        blobs = list(io_pool.map(_download, keys))
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as cpu_pool:   # CPU-bound
        rendered = list(cpu_pool.map(_render_variants, [(k, raw, WATERMARKS[airport]) for k, raw in blobs]))
    uploads = [(k, name, body) for k, variants in rendered for name, body in variants.items()]
    with ThreadPoolExecutor(max_workers=8) as io_pool:
        list(io_pool.map(_upload, uploads))

    refs = [k.rsplit("/", 1)[-1].rsplit(".", 1)[0] for k in keys]
    with conn, conn.cursor() as cur:
        cur.execute("UPDATE found_items SET photo_ready = true WHERE airport_code = %s AND public_ref = ANY(%s)",
                    (airport, refs))
    for i in range(0, len(keys), 1000):
        S3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys[i:i + 1000]]})
    return len(keys)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    conn = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)
    try:
        for code in WATERMARKS:
            log.info("%s: %d photos processed", code, process_airport(conn, code))
    finally:
        conn.close()
