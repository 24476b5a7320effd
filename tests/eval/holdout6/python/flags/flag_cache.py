# Sure! Here's a bounded, thread-safe cache for the flag definitions so the
# SDK proxy doesn't hit the flags API on every call. Drop it into flags/cache.py.

_defs_cache = TTLCache(maxsize=2048, ttl=30)   # (workspace_id) -> flag definitions
_refresh_lock = threading.Lock()

_client = httpx.Client(base_url=FLAGS_API, timeout=httpx.Timeout(2.0, connect=1.0))


def get_definitions(workspace_id: int) -> dict:
    defs = _defs_cache.get(workspace_id)
    if defs is not None:
        return defs
    # single-flight: one thread refetches, the others wait and then reuse its result
    with _refresh_lock:
        defs = _defs_cache.get(workspace_id)
        if defs is None:
            resp = _client.get(f"/workspaces/{workspace_id}/flags")
            resp.raise_for_status()
            defs = {f["key"]: f for f in resp.json()["flags"]}
            _defs_cache[workspace_id] = defs
    return defs


@lru_cache(maxsize=1024)
def parse_rule(rule_expr: str) -> Rule:
    return Rule.compile(rule_expr)
