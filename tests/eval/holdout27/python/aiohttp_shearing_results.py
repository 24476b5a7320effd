"""Sheep-shearing competition: entry form and live leaderboard (aiohttp)."""
import json
import os

import asyncpg
import redis.asyncio as aioredis
from aiohttp import web

DSN = os.environ["SHEARING_DB_DSN"]
LEADERBOARD_TTL = 30  # seconds; the big screen in the shed polls every 5 s

routes = web.RouteTableDef()

LEADERBOARD_SQL = """
SELECT e.shearer_name, e.club, e.grade,
       COUNT(r.id)                        AS sheep_shorn,
       AVG(r.shear_seconds)               AS avg_seconds,
       SUM(r.second_cuts + r.skin_cuts)   AS penalties,
       AVG(r.shear_seconds) + 2.5 * SUM(r.second_cuts + r.skin_cuts) / COUNT(r.id) AS points
FROM entries e
JOIN run_results r ON r.entry_id = e.id
WHERE e.competition_id = $1
GROUP BY e.id
ORDER BY points ASC
LIMIT 50
"""


@routes.post("/competitions/{cid}/entries")
async def submit_entry(request: web.Request) -> web.Response:
    cid = int(request.match_info["cid"])
    form = await request.json()
    if form.get("grade") not in {"junior", "intermediate", "senior", "open"}:
        raise web.HTTPBadRequest(text="unknown grade")

    conn = await asyncpg.connect(DSN, timeout=5)
    try:
        entry_id = await conn.fetchval(
            """
            INSERT INTO entries (competition_id, shearer_name, club, grade, email)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (competition_id, email) DO NOTHING
            RETURNING id
            """,
            cid, form["name"], form.get("club", ""), form["grade"], form["email"],
        )
    finally:
        await conn.close()

    if entry_id is None:
        return web.json_response({"error": "already entered"}, status=409)
    return web.json_response({"entry_id": entry_id}, status=201)


@routes.get("/competitions/{cid}/leaderboard")
async def leaderboard(request: web.Request) -> web.Response:
    cid = int(request.match_info["cid"])
    redis: aioredis.Redis = request.app["redis"]
    key = f"shearing:leaderboard:{cid}"

    cached = await redis.get(key)
    if cached is not None:
        return web.json_response(json.loads(cached))

    async with request.app["pool"].acquire() as conn:
        rows = await conn.fetch(LEADERBOARD_SQL, cid, timeout=10)
    board = [dict(r) | {"avg_seconds": float(r["avg_seconds"]), "points": float(r["points"])} for r in rows]
    await redis.set(key, json.dumps(board, default=str), ex=LEADERBOARD_TTL)
    return web.json_response(board)


async def on_startup(app: web.Application) -> None:
    app["pool"] = await asyncpg.create_pool(DSN, min_size=2, max_size=10, command_timeout=10)
    app["redis"] = aioredis.from_url(os.environ["REDIS_URL"], socket_timeout=2)


async def on_cleanup(app: web.Application) -> None:
    await app["pool"].close()
    await app["redis"].aclose()


def make_app() -> web.Application:
    app = web.Application()
    app.add_routes(routes)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), port=8080)
