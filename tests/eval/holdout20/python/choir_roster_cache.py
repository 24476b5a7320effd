import time
from typing import Any

from fastapi import APIRouter, Depends, HTTPException

from .auth import Member, current_member
from .db import get_pool

router = APIRouter(prefix="/choirs", tags=["rehearsals"])

# Rosters change rarely (the section leader edits them once a week), so keep
# rendered rosters around for a while instead of hitting Postgres on every
# phone refresh during rehearsal.
_roster_cache: dict[str, tuple[float, dict[str, Any]]] = {}
ROSTER_TTL_S = 600

ROSTER_SQL = """
    SELECT m.id, m.first_name, m.last_name, m.section, r.status, r.seat_row, r.seat_no
      FROM roster_entries r
      JOIN members m ON m.id = r.member_id
     WHERE r.rehearsal_id = $1 AND r.choir_id = $2
     ORDER BY m.section, r.seat_row, r.seat_no
"""

SECTIONS = ("soprano", "alto", "tenor", "bass")


def _shape(rows) -> dict[str, Any]:
    by_section: dict[str, list[dict]] = {s: [] for s in SECTIONS}
    for row in rows:
        by_section.setdefault(row["section"], []).append(
            {
                "member_id": row["id"],
                "name": f'{row["first_name"]} {row["last_name"][0]}.',
                "status": row["status"],
                "seat": f'{row["seat_row"]}{row["seat_no"]}',
            }
        )
    counts = {s: sum(1 for m in ms if m["status"] == "attending") for s, ms in by_section.items()}
    return {"sections": by_section, "attending": counts}


@router.get("/{choir_id}/rehearsals/{rehearsal_id}/roster")
async def rehearsal_roster(
    choir_id: int,
    rehearsal_id: int,
    member: Member = Depends(current_member),
    pool=Depends(get_pool),
):
    if member.choir_id != choir_id:
        raise HTTPException(status_code=403, detail="Not a member of this choir")

    cache_key = f"roster:{member.id}:{choir_id}:{rehearsal_id}"
    hit = _roster_cache.get(cache_key)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]

    async with pool.acquire() as conn:
        rows = await conn.fetch(ROSTER_SQL, rehearsal_id, choir_id)
    if not rows:
        raise HTTPException(status_code=404, detail="No roster for this rehearsal yet")

    payload = _shape(rows)
    payload["rehearsal_id"] = rehearsal_id
    _roster_cache[cache_key] = (now + ROSTER_TTL_S, payload)
    return payload


@router.post("/{choir_id}/rehearsals/{rehearsal_id}/roster/refresh", status_code=204)
async def refresh_roster(choir_id: int, rehearsal_id: int, member: Member = Depends(current_member)):
    """Section leaders hit this after editing seating so their view updates."""
    if member.choir_id != choir_id or not member.is_section_leader:
        raise HTTPException(status_code=403, detail="Section leaders only")
    _roster_cache.pop(f"roster:{member.id}:{choir_id}:{rehearsal_id}", None)
