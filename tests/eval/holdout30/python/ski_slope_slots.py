"""Dry-ski slope lesson slot availability.

Runs as 3 uvicorn pods behind the leisure centre's ingress; Redis is shared by all pods.
The availability grid is what the booking page polls while a family picks a slot.
"""
import json
import os
from datetime import date, timedelta

import psycopg2
import psycopg2.extras
import redis
from fastapi import Depends, FastAPI, HTTPException

DSN = os.environ["SLOPE_DB_DSN"]
rdb = redis.Redis(
    host=os.environ.get("REDIS_HOST", "redis"),
    socket_timeout=1.5,
    socket_connect_timeout=1.5,
    decode_responses=True,
)

app = FastAPI(title="slope-lessons")


def get_conn():
    conn = psycopg2.connect(DSN, connect_timeout=5, options="-c statement_timeout=8000")
    try:
        yield conn
    finally:
        conn.close()


AVAILABILITY_SQL = """
    SELECT s.id,
           s.starts_at,
           s.level,
           s.capacity,
           s.capacity - COUNT(b.id) FILTER (WHERE b.status <> 'cancelled') AS free_places,
           COUNT(DISTINCT iq.instructor_id) AS qualified_instructors,
           BOOL_OR(m.closed) AS matting_closed
      FROM lesson_slots s
      LEFT JOIN slot_bookings b ON b.slot_id = s.id
      LEFT JOIN instructor_quals iq ON iq.level = s.level AND iq.valid_until >= s.starts_at::date
      LEFT JOIN matting_closures m ON m.slope_section = s.slope_section
                                  AND s.starts_at BETWEEN m.closed_from AND m.closed_to
     WHERE s.starts_at >= %(start)s AND s.starts_at < %(end)s
     GROUP BY s.id
     ORDER BY s.starts_at
"""


@app.get("/slots/availability")
def availability(week_of: date, conn=Depends(get_conn)):
    start = week_of - timedelta(days=week_of.weekday())
    cache_key = f"slope:availability:{start.isoformat()}"
    cached = rdb.get(cache_key)
    if cached is not None:
        return json.loads(cached)

    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(AVAILABILITY_SQL, {"start": start, "end": start + timedelta(days=7)})
        slots = [dict(r) for r in cur.fetchall()]

    data = {"week_of": start.isoformat(), "slots": slots}
    rdb.set(cache_key, json.dumps(data, default=str), ex=30)
    return data


@app.get("/slots/{slot_id}")
def slot_detail(slot_id: int, conn=Depends(get_conn)):
    with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            "SELECT id, starts_at, level, capacity, slope_section, notes FROM lesson_slots WHERE id = %s",
            (slot_id,),
        )
        slot = cur.fetchone()
    if slot is None:
        raise HTTPException(status_code=404, detail="No such lesson slot")
    return slot
