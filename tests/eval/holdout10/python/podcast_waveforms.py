"""Waveform previews for uploaded episodes (the squiggly player bar).

Deployed on Cloud Run, min 2 / max 6 instances. The dashboard polls
GET /episodes/{id}/waveform/status every 2 s until it says "done".
"""
import array
import io
import logging
import threading
import wave

import requests
from fastapi import BackgroundTasks, FastAPI, HTTPException

from hosting.db import episodes
from hosting.storage import put_json

log = logging.getLogger("waveforms")
app = FastAPI()

PROCESSING_STATUS: dict[str, str] = {}   # episode_id -> queued | running | done | failed
BUCKETS = 1800          # number of bars in the player
N_THREADS = 6


def compute_peaks(samples, start, stop, per_bucket, out):
    """Max absolute amplitude per bucket, pure python over the int16 samples."""
    for b in range(start, stop):
        chunk = samples[b * per_bucket:(b + 1) * per_bucket]
        peak = 0
        for s in chunk:
            if s < 0:
                s = -s
            if s > peak:
                peak = s
        out[b] = round(peak / 32768, 4)


def build_waveform(episode_id: str, wav_url: str):
    PROCESSING_STATUS[episode_id] = "running"
    try:
        resp = requests.get(wav_url)
        resp.raise_for_status()
        with wave.open(io.BytesIO(resp.content)) as wf:
            frames = wf.readframes(wf.getnframes())
        samples = array.array("h", frames)
        per_bucket = max(1, len(samples) // BUCKETS)
        peaks = [0.0] * BUCKETS

        step = BUCKETS // N_THREADS
        threads = []
        for i in range(N_THREADS):
            stop = BUCKETS if i == N_THREADS - 1 else (i + 1) * step
            t = threading.Thread(target=compute_peaks, args=(samples, i * step, stop, per_bucket, peaks))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()

        put_json(f"waveforms/{episode_id}.json", {"buckets": BUCKETS, "peaks": peaks})
        PROCESSING_STATUS[episode_id] = "done"
    except Exception:
        log.exception("waveform failed for %s", episode_id)
        PROCESSING_STATUS[episode_id] = "failed"


@app.post("/episodes/{episode_id}/waveform", status_code=202)
async def request_waveform(episode_id: str, background: BackgroundTasks):
    ep = await episodes.get(episode_id)
    if ep is None:
        raise HTTPException(404)
    PROCESSING_STATUS[episode_id] = "queued"
    background.add_task(build_waveform, episode_id, ep["transcoded_wav_url"])
    return {"status": "queued"}


@app.get("/episodes/{episode_id}/waveform/status")
async def waveform_status(episode_id: str):
    return {"status": PROCESSING_STATUS.get(episode_id, "unknown")}


@app.delete("/episodes/{episode_id}/waveform")
async def delete_waveform(episode_id: str):
    PROCESSING_STATUS.pop(episode_id, None)
    ep = await episodes.get(episode_id)
    if ep and ep.get("waveform_key"):
