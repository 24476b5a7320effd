"""Snow-plough dispatch for the county highways depot.

Each gritter/plough cab runs the driver app, which calls /dispatch/next when
the driver is ready for another route. Several depots share this service and
it runs on 4 pods, so route assignment must be safe across processes.
"""
import logging
import os

import httpx
from flask import Flask, abort, g, jsonify
from psycopg_pool import ConnectionPool

log = logging.getLogger("dispatch")
app = Flask(__name__)

pool = ConnectionPool(
    conninfo=os.environ["DISPATCH_DSN"],
    min_size=2,
    max_size=10,
    timeout=5,
    kwargs={"options": "-c statement_timeout=5000"},
)

# one client per process: keeps connections to the telematics API alive
telematics = httpx.Client(
    base_url=os.environ["TELEMATICS_URL"],
    timeout=httpx.Timeout(4.0, connect=1.5),
    limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
)

CLAIM_NEXT_ROUTE = """
    WITH next_route AS (
        SELECT id
          FROM plough_routes
         WHERE depot_id = %(depot_id)s
           AND status = 'pending'
         ORDER BY priority, id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
    )
    UPDATE plough_routes r
       SET status = 'assigned', vehicle_id = %(vehicle_id)s, assigned_at = now()
      FROM next_route
     WHERE r.id = next_route.id
 RETURNING r.id, r.name, r.priority, r.length_km
"""


def _push_route_to_cab(vehicle_id: str, route_id: int) -> None:
    resp = telematics.post(f"/vehicles/{vehicle_id}/route", json={"route_id": route_id})
    resp.raise_for_status()


@app.post("/dispatch/next")
def dispatch_next():
    cab = g.cab  # set by the cab-token middleware: vehicle_id + depot_id
    with pool.connection() as conn:
        row = conn.execute(
            CLAIM_NEXT_ROUTE,
            {"depot_id": cab.depot_id, "vehicle_id": cab.vehicle_id},
        ).fetchone()
    if row is None:
        return jsonify(status="no routes pending"), 200

    route_id, name, priority, length_km = row
    try:
        _push_route_to_cab(cab.vehicle_id, route_id)
    except httpx.HTTPError:
        log.exception("could not push route %s to vehicle %s", route_id, cab.vehicle_id)
        raise

    return jsonify(route_id=route_id, name=name, priority=priority, length_km=length_km)


@app.get("/dispatch/routes/<int:route_id>")
def route_detail(route_id: int):
    cab = g.cab
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT id, name, status, vehicle_id, length_km FROM plough_routes "
            "WHERE id = %s AND depot_id = %s",
            (route_id, cab.depot_id),
        ).fetchone()
    if row is None:
        abort(404)
    keys = ("id", "name", "status", "vehicle_id", "length_km")
    return jsonify(dict(zip(keys, row)))
