"""Bat survey volunteer nights: analyse the detector recordings uploaded after a transect.

Volunteers walk a transect at dusk with a heterodyne/full-spectrum detector and
upload a folder of WAV snippets. This service estimates the peak frequency of each
call so the county recorder can triage likely pipistrelles from noctules.

Runs inside the long-lived `batsurvey-worker` process (systemd, up all season);
the upload page enqueues analyse_night() and polls for the JSON summary.
"""
import json
import math
import struct
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

UPLOAD_ROOT = Path("/srv/batsurvey/uploads")
RESULTS_ROOT = Path("/srv/batsurvey/results")

# recording path -> analysis, so re-opening a night's page is instant
_analysis_cache: dict[str, "CallEstimate"] = {}


@dataclass
class CallEstimate:
    file: str
    peak_khz: float
    zero_crossings: int
    guess: str


def _read_samples(path: Path) -> tuple[list[int], int]:
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        raw = w.readframes(w.getnframes())
    count = len(raw) // 2
    return list(struct.unpack(f"<{count}h", raw)), rate


def _guess_species(peak_khz: float) -> str:
    if 42 <= peak_khz <= 50:
        return "common pipistrelle"
    if 51 <= peak_khz <= 58:
        return "soprano pipistrelle"
    if 18 <= peak_khz <= 25:
        return "noctule"
    return "unknown"


def analyse_recording(path: Path) -> CallEstimate:
    key = str(path)
    if key in _analysis_cache:
        return _analysis_cache[key]

    samples, rate = _read_samples(path)
    # Zero-crossing analysis over sliding windows, in plain Python so it runs on the
    # Raspberry Pi image too.
    window = 512
    best_rate = 0.0
    crossings_total = 0
    for start in range(0, len(samples) - window, window // 2):
        chunk = samples[start:start + window]
        mean = sum(chunk) / window
        energy = math.sqrt(sum((s - mean) ** 2 for s in chunk) / window)
        if energy < 200:
            continue
        crossings = sum(
            1 for a, b in zip(chunk, chunk[1:]) if (a - mean) * (b - mean) < 0
        )
        crossings_total += crossings
        best_rate = max(best_rate, crossings * rate / (2 * window))

    peak_khz = round(best_rate / 1000, 1)
    result = CallEstimate(path.name, peak_khz, crossings_total, _guess_species(peak_khz))
    _analysis_cache[key] = result
    return result


def analyse_night(night_id: str) -> Path:
    folder = UPLOAD_ROOT / night_id
    files = sorted(folder.glob("*.wav"))
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(analyse_recording, files))

    out = RESULTS_ROOT / f"{night_id}.json"
    out.write_text(json.dumps({
        "night": night_id,
        "calls": [asdict(r) for r in results],
        "species": sorted({r.guess for r in results}),
    }))
    return out
