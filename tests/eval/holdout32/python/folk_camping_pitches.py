"""Camping pitch allocation for the folk festival.

Each field (Orchard, Top Meadow, Quiet Field...) has a fixed number of tent
pitches. Weekend ticket holders pick a field; campervans go to the hardstanding.
Served by gunicorn -w 4 on two VMs behind the festival's load balancer.
"""
import logging

from flask import Blueprint, g, jsonify, request
from psycopg2.pool import ThreadedConnectionPool

log = logging.getLogger(__name__)
bp = Blueprint("camping", __name__)

pool: ThreadedConnectionPool | None = None  # created in create_app() with minconn=1, maxconn=10

PAGE_SIZE = 50


def init_pool(dsn: str) -> None:
    global pool
    pool = ThreadedConnectionPool(1, 10, dsn, connect_timeout=5, options="-c statement_timeout=5000")


@bp.get("/fields")
def fields():
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT id, name, capacity, allocated, quiet FROM camping_fields "
                "WHERE festival_year = %s ORDER BY name LIMIT 40",
                (g.festival_year,),
            )
            rows = cur.fetchall()
    finally:
        pool.putconn(conn)
    return jsonify([
        {"id": r[0], "name": r[1], "free": r[2] - r[3], "quiet": r[4]} for r in rows
    ])


@bp.post("/fields/<int:field_id>/allocate")
def allocate(field_id):
    ticket_ref = request.get_json()["ticket_ref"]
    conn = pool.getconn()
    try:
        with conn, conn.cursor() as cur:
            # Claim a pitch only if one is still free; the condition and the
            # increment happen in the same statement.
            cur.execute(
                """
                UPDATE camping_fields
                SET allocated = allocated + 1
                WHERE id = %s AND festival_year = %s AND allocated < capacity
                """,
                (field_id, g.festival_year),
            )
            if cur.rowcount == 0:
                return jsonify(error="That field is full, please choose another"), 409

            # ticket_ref is UNIQUE in pitch_allocations: one pitch per weekend ticket.
            cur.execute(
                """
                INSERT INTO pitch_allocations (field_id, ticket_ref)
                VALUES (%s, %s)
                ON CONFLICT (ticket_ref) DO NOTHING
                """,
                (field_id, ticket_ref),
            )
            if cur.rowcount == 0:
                conn.rollback()
                return jsonify(error="This ticket already has a pitch"), 409
    finally:
        pool.putconn(conn)

    log.info("ticket %s allocated to field %s", ticket_ref, field_id)
    return jsonify(field_id=field_id, ticket_ref=ticket_ref), 201


@bp.get("/fields/<int:field_id>/allocations")
def allocations(field_id):
    after = int(request.args.get("after", 0))
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT id, ticket_ref, created_at FROM pitch_allocations "
                "WHERE field_id = %s AND id > %s ORDER BY id LIMIT %s",
                (field_id, after, PAGE_SIZE),
            )
            rows = cur.fetchall()
    finally:
        pool.putconn(conn)
    return jsonify(items=[{"id": r[0], "ticket_ref": r[1], "at": r[2].isoformat()} for r in rows],
                   next_after=rows[-1][0] if rows else None)

