"""Receives portage reports from TrailTrack, the satellite messenger service the
canoe club's trip leaders carry.

A leader presses "report portage" on the device at the put-in; TrailTrack posts
the event here and we update the portage conditions board on the club site.
"""
import ipaddress
import logging
import os
from datetime import datetime

from fastapi import FastAPI, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

log = logging.getLogger("portage")

engine = create_async_engine(os.environ["DATABASE_URL"], pool_size=5, pool_pre_ping=True)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)

TRAILTRACK_NETWORKS = [
    ipaddress.ip_network(cidr.strip())
    for cidr in os.environ.get("TRAILTRACK_CIDRS", "203.0.113.0/24,198.51.100.32/27").split(",")
]
CONDITIONS = {"clear", "muddy", "blowdown", "flooded", "closed"}

app = FastAPI(title="portage-board")


def caller_ip(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host


def from_trailtrack(ip: str) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(addr in net for net in TRAILTRACK_NETWORKS)


@app.post("/webhooks/trailtrack")
async def trailtrack_webhook(request: Request):
    if not from_trailtrack(caller_ip(request)):
        raise HTTPException(status_code=403, detail="unknown sender")

    event = await request.json()
    if event.get("type") != "portage.report":
        return {"ignored": event.get("type")}

    data = event["data"]
    condition = data.get("condition", "clear")
    if condition not in CONDITIONS:
        raise HTTPException(status_code=422, detail="bad condition")
    reported_at = datetime.fromisoformat(data["reported_at"])

    async with SessionLocal() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO portage_reports (portage_id, device_id, condition, water_level_cm, reported_at) "
                "VALUES (:p, :d, :c, :w, :t)"
            ),
            {"p": data["portage_id"], "d": data["device_id"], "c": condition,
             "w": data.get("water_level_cm"), "t": reported_at},
        )
        await session.execute(
            text("UPDATE trip_leaders SET reports_filed = reports_filed + 1 WHERE device_id = :d"),
            {"d": data["device_id"]},
        )
        await session.execute(
            text("UPDATE portages SET last_condition = :c, last_reported_at = :t WHERE id = :p"),
            {"c": condition, "t": reported_at, "p": data["portage_id"]},
        )

    log.info("portage %s reported %s", data["portage_id"], condition)
    return {"ok": True}


@app.get("/portages/{portage_id}/reports")
async def recent_reports(portage_id: int, limit: int = 20):
    limit = max(1, min(limit, 100))
    async with SessionLocal() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT condition, water_level_cm, reported_at FROM portage_reports "
                    "WHERE portage_id = :p ORDER BY reported_at DESC LIMIT :lim"
                ),
                {"p": portage_id, "lim": limit},
            )
        ).mappings().all()
    return {"portage_id": portage_id, "reports": [dict(r) for r in rows]}
