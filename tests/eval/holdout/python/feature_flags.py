"""Feature flags, cached in process for a short time (values come from the flags service)."""
import threading
import time

import httpx

FLAGS_URL = "http://flags.internal/api/flags"
_TTL = 30.0

_lock = threading.Lock()
_flags: dict[str, bool] = {}
_loaded_at = 0.0

_client = httpx.Client(timeout=2.0)


def _refresh() -> None:
    global _loaded_at
    resp = _client.get(FLAGS_URL)
    resp.raise_for_status()
    data = resp.json()
    _flags.clear()
    _flags.update({f["name"]: f["enabled"] for f in data})
    _loaded_at = time.monotonic()


def enabled(name: str) -> bool:
    with _lock:
        if time.monotonic() - _loaded_at > _TTL:
            try:
                _refresh()
            except httpx.HTTPError:
                pass  # keep serving the last known flags
        return _flags.get(name, False)
