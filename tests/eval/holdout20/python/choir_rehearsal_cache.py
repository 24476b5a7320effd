"""Rehearsal roster endpoint for the choir app.

The roster is identical for every singer in the choir, so it is cached
per (choir, rehearsal) in a bounded TTL cache. A lock makes sure only one
request per process rebuilds an entry when it expires.
"""
import threading

from cachetools import TTLCache
from flask import Blueprint, abort, g, jsonify

from ..auth import member_required
from ..db import pool

bp = Blueprint("roster", __name__)

_rosters: TTLCache = TTLCache(maxsize=1024, ttl=300)
_rebuild_lock = threading.Lock()

ROSTER_SQL = """
    SELECT m.id, m.first_name, m.last_name, m.section, r.status, r.seat_row, r.seat_no
      FROM roster_entries r
      JOIN members m ON m.id = r.member_id
     WHERE r.rehearsal_id = %s AND r.choir_id = %s
     ORDER BY m.section, r.seat_row, r.seat_no
     LIMIT 400
"""


def _load_roster(choir_id: int, rehearsal_id: int) -> dict:
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(ROSTER_SQL, (rehearsal_id, choir_id))
            rows = cur.fetchall()
    finally:
        pool.putconn(conn)

    sections: dict[str, list[dict]] = {}
    for member_id, first, last, section, status, seat_row, seat_no in rows:
        sections.setdefault(section, []).append(
            {
                "member_id": member_id,
                "name": f"{first} {last[:1]}.",
                "status": status,
                "seat": f"{seat_row}{seat_no}",
            }
        )
    return {"rehearsal_id": rehearsal_id, "sections": sections}


def get_roster(choir_id: int, rehearsal_id: int) -> dict:
    key = (choir_id, rehearsal_id)
    # cachetools caches are not thread-safe, so reads go through the lock too;
    # a rebuild is a single indexed query, so holding it briefly is fine.
    with _rebuild_lock:
        roster = _rosters.get(key)
        if roster is None:
            roster = _load_roster(choir_id, rehearsal_id)
            _rosters[key] = roster
    return roster


@bp.get("/choirs/<int:choir_id>/rehearsals/<int:rehearsal_id>/roster")
@member_required
def rehearsal_roster(choir_id: int, rehearsal_id: int):
    if g.member.choir_id != choir_id:
        abort(403)
    roster = get_roster(choir_id, rehearsal_id)
    # The per-singer bit is cheap and comes from the member object, not the cache.
    return jsonify({**roster, "you": {"member_id": g.member.id, "section": g.member.section}})


@bp.post("/choirs/<int:choir_id>/rehearsals/<int:rehearsal_id>/roster/refresh")
@member_required
def refresh_roster(choir_id: int, rehearsal_id: int):
    if g.member.choir_id != choir_id or not g.member.is_section_leader:
        abort(403)
    with _rebuild_lock:
        _rosters.pop((choir_id, rehearsal_id), None)
    return "", 204
