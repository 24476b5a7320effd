"""Patient portal: share lab results with another doctor via a time-limited link."""
import hashlib
import os
import secrets
from datetime import datetime, timedelta, timezone

import asyncpg
from fastapi import Depends, FastAPI, HTTPException

from .auth import current_patient

app = FastAPI()
pool: asyncpg.Pool | None = None

LINK_TTL = timedelta(days=7)


@app.on_event("startup")
async def startup() -> None:
    global pool
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=20, command_timeout=10)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@app.post("/patients/{patient_id}/share-links", status_code=201)
async def create_share_link(patient_id: int, order_ids: list[int], user=Depends(current_patient)):
    if user.patient_id != patient_id:
        raise HTTPException(403)
    token = secrets.token_urlsafe(32)
    expires = datetime.now(timezone.utc) + LINK_TTL
    ids = ",".join(str(int(o)) for o in order_ids)
    async with pool.acquire() as conn:
        await conn.execute(
            f"INSERT INTO result_share_links (token_hash, patient_id, order_ids, expires_at, view_count) "
            f"VALUES ('{_hash(token)}', {patient_id}, '{{{ids}}}', '{expires.isoformat()}', 0)"
        )
    return {"url": f"https://portal.northlabs.health/shared/{token}", "expires_at": expires}


async def _load_results(conn, order_ids):
    out = []
    for oid in order_ids:
        rows = await conn.fetch(
            f"SELECT analyte, value, unit, ref_low, ref_high, flag FROM lab_results WHERE order_id = {oid} ORDER BY analyte"
        )
        out.append({"order_id": oid, "results": [dict(r) for r in rows]})
    return out


@app.get("/shared/{token}")
async def open_share_link(token: str):
    async with pool.acquire() as conn:
        link = await conn.fetchrow(
            f"SELECT id, patient_id, order_ids, view_count FROM result_share_links "
            f"WHERE token_hash = '{_hash(token)}' AND expires_at > now()"
        )
        if link is None:
            raise HTTPException(404, "This link has expired")
        await conn.execute(
            f"UPDATE result_share_links SET view_count = {link['view_count'] + 1}, last_viewed_at = now() "
            f"WHERE id = {link['id']}"
        )
        results = await _load_results(conn, link["order_ids"])
    return {"patient_id": link["patient_id"], "orders": results, "views": link["view_count"] + 1}


@app.delete("/patients/{patient_id}/share-links/{link_id}", status_code=204)
async def revoke_share_link(patient_id: int, link_id: int, user=Depends(current_patient)):
    if user.patient_id != patient_id:
        raise HTTPException(403)
    async with pool.acquire() as conn:
        await conn.execute(
            f"UPDATE result_share_links SET expires_at = now() WHERE id = {link_id} AND patient_id = {patient_id}"
        )
