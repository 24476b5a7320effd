"""Data access for the layouts section of ClubTrack.

ClubTrack hosts many model-railway clubs; every layout, module and running
session belongs to exactly one club (club_id). The Flask views call these
functions once per request.
"""
import os
from contextlib import contextmanager

import psycopg2
import psycopg2.extras

DSN = os.environ["CLUBTRACK_DSN"]
PAGE_SIZE = 25


@contextmanager
def _cursor():
    conn = psycopg2.connect(DSN, connect_timeout=5, cursor_factory=psycopg2.extras.RealDictCursor)
    try:
        with conn:
            with conn.cursor() as cur:
                yield cur
    finally:
        conn.close()


def list_layouts(club_id: int, page: int = 0) -> list[dict]:
    with _cursor() as cur:
        cur.execute(
            """
            SELECT id, name, scale, gauge_mm, length_m, status, updated_at
              FROM layouts
             WHERE club_id = %s
             ORDER BY updated_at DESC
             LIMIT %s OFFSET %s
            """,
            (club_id, PAGE_SIZE, page * PAGE_SIZE),
        )
        return cur.fetchall()


def get_layout(club_id: int, layout_id: int) -> dict | None:
    with _cursor() as cur:
        cur.execute(
            "SELECT id, club_id, name, scale, gauge_mm, length_m, status, notes FROM layouts WHERE id = %s",
            (layout_id,),
        )
        layout = cur.fetchone()
        if layout is None:
            return None
        cur.execute(
            """
            SELECT id, position, name, builder, dcc_address
              FROM layout_modules
             WHERE layout_id = %s AND club_id = %s
             ORDER BY position
             LIMIT 200
            """,
            (layout_id, club_id),
        )
        layout["modules"] = cur.fetchall()
        return layout


def book_running_session(club_id: int, layout_id: int, member_id: int, starts_at, ends_at) -> int:
    """Overlapping sessions on one layout are rejected by the
    running_sessions_no_overlap exclusion constraint."""
    with _cursor() as cur:
        cur.execute(
            """
            INSERT INTO running_sessions (club_id, layout_id, member_id, during)
            SELECT %s, l.id, %s, tstzrange(%s, %s)
              FROM layouts l
             WHERE l.id = %s AND l.club_id = %s
            RETURNING id
            """,
            (club_id, member_id, starts_at, ends_at, layout_id, club_id),
        )
        row = cur.fetchone()
        if row is None:
            raise LookupError("layout not found for this club")
        return row["id"]
