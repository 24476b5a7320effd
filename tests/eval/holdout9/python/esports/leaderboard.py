"""
E-sports tournament stats API.

Production-ready FastAPI service with asyncpg. Each request gets its own
connection so queries never interfere with each other.
"""
import os

import asyncpg
from fastapi import FastAPI, HTTPException, Query

app = FastAPI(title="Tournament Stats")

DSN = os.environ["DATABASE_URL"]


async def get_conn() -> asyncpg.Connection:
    """Open a fresh database connection."""
    return await asyncpg.connect(DSN)


@app.get("/tournaments/{tournament_id}/leaderboard")
async def leaderboard(tournament_id: int, limit: int = Query(25, le=100)):
    """Return the current leaderboard, computed live from match results.

    Polled every few seconds by the Twitch overlay and the public site.
    """
    conn = await get_conn()
    try:
        rows = await conn.fetch(
            """
            SELECT t.id, t.name,
                   COUNT(*) FILTER (WHERE m.winner_team_id = t.id)        AS wins,
                   COUNT(*) FILTER (WHERE m.winner_team_id <> t.id)       AS losses,
                   SUM(ms.kills)                                           AS kills,
                   SUM(ms.deaths)                                          AS deaths
              FROM teams t
              JOIN match_participants mp ON mp.team_id = t.id
              JOIN matches m            ON m.id = mp.match_id
              JOIN match_stats ms       ON ms.match_id = m.id AND ms.team_id = t.id
             WHERE m.tournament_id = $1 AND m.status = 'finished'
             GROUP BY t.id, t.name
             ORDER BY wins DESC, (SUM(ms.kills) - SUM(ms.deaths)) DESC
             LIMIT $2
            """,
            tournament_id,
            limit,
        )
    finally:
        await conn.close()
    return [dict(r) for r in rows]


@app.get("/teams/{team_id}")
async def team(team_id: int):
    conn = await get_conn()
    try:
        row = await conn.fetchrow("SELECT id, name, region, logo_url FROM teams WHERE id = $1", team_id)
    finally:
        await conn.close()
    if row is None:
        raise HTTPException(404, "team not found")
    return dict(row)
