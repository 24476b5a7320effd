"""Appointment booking endpoints for the clinic scheduling service.

Starlette + psycopg 3 (async). Patients browse open slots, place a short hold
while they fill in the intake form, then confirm the hold into an appointment.
"""
import os
from datetime import datetime, timedelta, timezone

import psycopg
from psycopg.rows import dict_row
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clinic.auth import PatientTokenBackend

DSN = os.environ["CLINIC_DSN"]
HOLD_MINUTES = 10


async def get_conn() -> psycopg.AsyncConnection:
    return await psycopg.AsyncConnection.connect(DSN, row_factory=dict_row)


async def list_open_slots(request: Request) -> JSONResponse:
    clinic_id = int(request.path_params["clinic_id"])
    day = request.query_params.get("day")
    async with await get_conn() as conn:
        cur = await conn.execute(
            """
            SELECT id, practitioner_id, starts_at, ends_at
            FROM slots
            WHERE clinic_id = %s AND starts_at::date = %s AND status = 'open'
            ORDER BY starts_at
            LIMIT 200
            """,
            (clinic_id, day),
        )
        rows = await cur.fetchall()
    return JSONResponse(
        [
            {
                "id": r["id"],
                "practitioner_id": r["practitioner_id"],
                "starts_at": r["starts_at"].isoformat(),
                "ends_at": r["ends_at"].isoformat(),
            }
            for r in rows
        ]
    )


async def hold_slot(request: Request) -> JSONResponse:
    slot_id = int(request.path_params["slot_id"])
    patient_id = request.user.patient_id

    async with await get_conn() as conn:
        cur = await conn.execute("SELECT id, status FROM slots WHERE id = %s", (slot_id,))
        slot = await cur.fetchone()
        if slot is None:
            return JSONResponse({"error": "slot not found"}, status_code=404)
        if slot["status"] != "open":
            return JSONResponse({"error": "slot no longer available"}, status_code=409)

        hold_until = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
        await conn.execute("UPDATE slots SET status = 'held' WHERE id = %s", (slot_id,))
        cur = await conn.execute(
            "INSERT INTO slot_holds (slot_id, patient_id, hold_until) VALUES (%s, %s, %s) RETURNING id",
            (slot_id, patient_id, hold_until),
        )
        hold = await cur.fetchone()
        await conn.commit()

    return JSONResponse({"hold_id": hold["id"], "hold_until": hold_until.isoformat()}, status_code=201)


async def confirm_hold(request: Request) -> JSONResponse:
    hold_id = int(request.path_params["hold_id"])
    body = await request.json()
    patient_id = request.user.patient_id

    async with await get_conn() as conn:
        async with conn.transaction():
            cur = await conn.execute(
                """
                UPDATE slot_holds SET confirmed_at = now()
                WHERE id = %s AND patient_id = %s
                  AND confirmed_at IS NULL AND hold_until > now()
                RETURNING slot_id
                """,
                (hold_id, patient_id),
            )
            row = await cur.fetchone()
            if row is None:
                return JSONResponse({"error": "hold expired or already used"}, status_code=409)
            await conn.execute("UPDATE slots SET status = 'booked' WHERE id = %s", (row["slot_id"],))
            cur = await conn.execute(
                "INSERT INTO appointments (slot_id, patient_id, reason) VALUES (%s, %s, %s) RETURNING id",
                (row["slot_id"], patient_id, body.get("reason", "")[:500]),
            )
            appt = await cur.fetchone()

    return JSONResponse({"appointment_id": appt["id"]}, status_code=201)


app = Starlette(
    routes=[
        Route("/clinics/{clinic_id:int}/slots", list_open_slots),
        Route("/slots/{slot_id:int}/hold", hold_slot, methods=["POST"]),
        Route("/holds/{hold_id:int}/confirm", confirm_hold, methods=["POST"]),
    ],
    middleware=[Middleware(AuthenticationMiddleware, backend=PatientTokenBackend())],
)
