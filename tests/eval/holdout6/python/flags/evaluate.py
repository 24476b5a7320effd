"""
Feature-flag evaluation service.

Here's a clean, production-ready FastAPI service for evaluating feature flags.
Each workspace owns its flags; the SDKs call /evaluate on every page load.

Key features:
- Workspace isolation via API key
- Percentage rollouts with stable hashing
- In-memory memoisation so repeated evaluations are instant
"""
import hashlib
import os

import psycopg2
import psycopg2.extras
from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel

app = FastAPI(title="flagd")

# (workspace_id, flag_key, user_key) -> bool
_evaluations: dict[tuple[int, str, str], bool] = {}


def get_db():
    """Yield a database connection for the request."""
    conn = psycopg2.connect(os.environ["DATABASE_URL"], cursor_factory=psycopg2.extras.RealDictCursor)
    try:
        yield conn
    finally:
        conn.close()


def current_workspace(x_api_key: str = Header(...), db=Depends(get_db)) -> int:
    with db.cursor() as cur:
        cur.execute("SELECT workspace_id FROM api_keys WHERE key_hash = %s AND revoked_at IS NULL",
                    (hashlib.sha256(x_api_key.encode()).hexdigest(),))
        row = cur.fetchone()
    if row is None:
        raise HTTPException(401, "invalid api key")
    return row["workspace_id"]


def _bucket(flag_key: str, user_key: str) -> int:
    """Stable 0-99 bucket so a user keeps the same variant across requests."""
    h = hashlib.md5(f"{flag_key}:{user_key}".encode()).hexdigest()
    return int(h[:8], 16) % 100


class FlagUpdate(BaseModel):
    enabled: bool
    rollout_percent: int = 100


@app.get("/evaluate/{flag_key}")
def evaluate(flag_key: str, user_key: str, ws: int = Depends(current_workspace), db=Depends(get_db)):
    memo_key = (ws, flag_key, user_key)
    if memo_key in _evaluations:
        return {"flag": flag_key, "on": _evaluations[memo_key]}

    with db.cursor() as cur:
        cur.execute(
            "SELECT enabled, rollout_percent FROM flags WHERE workspace_id = %s AND key = %s",
            (ws, flag_key),
        )
        flag = cur.fetchone()
    if flag is None:
        raise HTTPException(404, "unknown flag")

    on = bool(flag["enabled"]) and _bucket(flag_key, user_key) < flag["rollout_percent"]
    _evaluations[memo_key] = on
    return {"flag": flag_key, "on": on}


@app.get("/flags")
def list_flags(ws: int = Depends(current_workspace), db=Depends(get_db)):
    with db.cursor() as cur:
        cur.execute(
            "SELECT id, key, enabled, rollout_percent, updated_at FROM flags "
            "WHERE workspace_id = %s ORDER BY key LIMIT 500",
            (ws,),
        )
        return cur.fetchall()


@app.put("/flags/{flag_id}")
def update_flag(flag_id: int, body: FlagUpdate, ws: int = Depends(current_workspace), db=Depends(get_db)):
    with db.cursor() as cur:
        cur.execute(
            "UPDATE flags SET enabled = %s, rollout_percent = %s, updated_at = now() WHERE id = %s RETURNING id, key",
            (body.enabled, body.rollout_percent, flag_id),
        )
        row = cur.fetchone()
    db.commit()
    if row is None:
        raise HTTPException(404, "flag not found")
    return {"id": row["id"], "key": row["key"], "enabled": body.enabled}
