"""Clinic waitlist: patients join a waitlist, get offered cancelled slots, accept within 15 minutes.

Falcon app served by gunicorn (-w 3) on 2 pods; all state lives in Postgres.
"""
import logging
import os

import falcon
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

pool = ConnectionPool(
    os.environ["CLINIC_DSN"],
    min_size=2,
    max_size=10,
    timeout=5,
    kwargs={"row_factory": dict_row, "options": "-c statement_timeout=5000"},
)

OFFER_TTL = "15 minutes"


class WaitlistResource:
    def on_get(self, req, resp, clinic_id):
        page = req.get_param_as_int("page", default=0, min_value=0)
        with pool.connection() as conn:
            rows = conn.execute(
                """
                SELECT id, patient_id, created_at, status
                FROM waitlist_entries
                WHERE clinic_id = %s AND status = 'waiting'
                ORDER BY created_at
                LIMIT 50 OFFSET %s
                """,
                (clinic_id, page * 50),
            ).fetchall()
        resp.media = [{**r, "created_at": r["created_at"].isoformat()} for r in rows]

    def on_post(self, req, resp, clinic_id):
        patient_id = req.context.patient_id
        with pool.connection() as conn:
            row = conn.execute(
                """
                INSERT INTO waitlist_entries (clinic_id, patient_id, status)
                VALUES (%s, %s, 'waiting')
                ON CONFLICT (clinic_id, patient_id) DO NOTHING
                RETURNING id
                """,
                (clinic_id, patient_id),
            ).fetchone()
        resp.status = falcon.HTTP_201 if row else falcon.HTTP_200
        resp.media = {"joined": row is not None}


def offer_slot(clinic_id: int, slot_id: int) -> int | None:
    """Called when a slot is cancelled. Offers it to the longest-waiting patient."""
    with pool.connection() as conn, conn.transaction():
        entry = conn.execute(
            """
            SELECT id, patient_id FROM waitlist_entries
            WHERE clinic_id = %s AND status = 'waiting'
            ORDER BY created_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """,
            (clinic_id,),
        ).fetchone()
        if entry is None:
            return None
        conn.execute("UPDATE waitlist_entries SET status = 'offered' WHERE id = %s", (entry["id"],))
        offer = conn.execute(
            f"""
            INSERT INTO waitlist_offers (entry_id, slot_id, patient_id, expires_at)
            VALUES (%s, %s, %s, now() + interval '{OFFER_TTL}')
            RETURNING id
            """,
            (entry["id"], slot_id, entry["patient_id"]),
        ).fetchone()
    return offer["id"]


class OfferAcceptResource:
    def on_post(self, req, resp, offer_id):
        with pool.connection() as conn, conn.transaction():
            offer = conn.execute(
                """
                UPDATE waitlist_offers SET accepted_at = now()
                WHERE id = %s AND patient_id = %s AND accepted_at IS NULL AND expires_at > now()
                RETURNING slot_id, entry_id
                """,
                (offer_id, req.context.patient_id),
            ).fetchone()
            if offer is None:
                raise falcon.HTTPConflict(description="offer expired or already accepted")
            conn.execute("UPDATE waitlist_entries SET status = 'booked' WHERE id = %s", (offer["entry_id"],))
        resp.media = {"slot_id": offer["slot_id"]}


def expire_offers() -> int:
    """k8s CronJob, every 5 minutes: put patients with lapsed offers back in line, drop dead offers."""
    with pool.connection() as conn, conn.transaction():
        conn.execute(
            """
            UPDATE waitlist_entries SET status = 'waiting'
            WHERE id IN (SELECT entry_id FROM waitlist_offers WHERE accepted_at IS NULL AND expires_at < now())
            """
        )
        deleted = conn.execute(
            "DELETE FROM waitlist_offers WHERE accepted_at IS NULL AND expires_at < now()"
        ).rowcount
    log.info("expired %d waitlist offers", deleted)
    return deleted


app = falcon.App()
app.add_route("/clinics/{clinic_id:int}/waitlist", WaitlistResource())
app.add_route("/offers/{offer_id:int}/accept", OfferAcceptResource())
