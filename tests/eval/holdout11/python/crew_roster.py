# crew_roster.py -- roster + shift swap endpoints for the crew portal
# prod: gunicorn -w 4 --threads 2 crew_roster:app  (2 VMs behind the ALB)
import os
import threading
from datetime import datetime, timedelta

import psycopg2.extras
from flask import Flask, abort, g, jsonify, request
from psycopg2.pool import ThreadedConnectionPool

app = Flask(__name__)
pool = ThreadedConnectionPool(2, 20, dsn=os.environ["CREW_DB_DSN"], connect_timeout=5)

# one lock per crew member so two swap requests can't interleave
_swap_locks = {}
_swap_locks_guard = threading.Lock()

MIN_REST = timedelta(hours=10)  # FAR 117 minimum rest


def _lock_for(crew_id):
    with _swap_locks_guard:
        return _swap_locks.setdefault(crew_id, threading.Lock())


# ---------------------------------------------------------------- repository
class RosterRepo:
    def __init__(self, conn):
        self.conn = conn

    def _cur(self):
        return self.conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)

    def pairings_for(self, crew_id, start, end):
        cur = self._cur()
        cur.execute(
            "SELECT p.id, p.code, p.report_at, p.release_at FROM pairings p "
            "JOIN crew_assignments a ON a.pairing_id = p.id "
            "WHERE a.crew_id = %s AND p.report_at BETWEEN %s AND %s ORDER BY p.report_at",
            (crew_id, start, end),
        )
        pairings = cur.fetchall()
        for p in pairings:
            cur.execute(
                "SELECT flight_no, dep, arr, std, sta, tail FROM legs WHERE pairing_id = %s ORDER BY std",
                (p["id"],),
            )
            p["legs"] = cur.fetchall()
        return pairings

    def assignments_for_base(self, base):
        cur = self._cur()
        cur.execute(
            "SELECT a.crew_id, a.pairing_id, a.position, p.report_at FROM crew_assignments a "
            "JOIN pairings p ON p.id = a.pairing_id WHERE p.base = %s ORDER BY p.report_at DESC",
            (base,),
        )
        return cur.fetchall()

    def reassign(self, pairing_id, from_crew, to_crew):
        cur = self._cur()
        cur.execute(
            "UPDATE crew_assignments SET crew_id = %s WHERE pairing_id = %s AND crew_id = %s",
            (to_crew, pairing_id, from_crew),
        )
        return cur.rowcount


# ---------------------------------------------------------------- service
class RosterService:
    def __init__(self, repo):
        self.repo = repo

    def month_roster(self, crew_id, month_start):
        return self.repo.pairings_for(crew_id, month_start, month_start + timedelta(days=31))

    def swap(self, pairing_id, from_crew, to_crew):
        with _lock_for(to_crew):
            if self.repo.reassign(pairing_id, from_crew, to_crew) != 1:
                abort(409, "pairing no longer assigned to requester")


# ---------------------------------------------------------------- routes
@app.before_request
def _checkout():
    g.conn = pool.getconn()


@app.teardown_request
def _checkin(exc):
    conn = g.pop("conn", None)
    if conn is not None:
        conn.rollback() if exc else conn.commit()
        pool.putconn(conn)


@app.get("/crew/<int:crew_id>/roster")
def roster(crew_id):
    month = datetime.strptime(request.args.get("month", datetime.utcnow().strftime("%Y-%m")), "%Y-%m")
    return jsonify(RosterService(RosterRepo(g.conn)).month_roster(crew_id, month))


@app.get("/bases/<base>/assignments")
def base_assignments(base):
    return jsonify(RosterRepo(g.conn).assignments_for_base(base.upper()))


@app.post("/pairings/<int:pairing_id>/swap")
def swap(pairing_id):
    body = request.get_json(force=True)
    RosterService(RosterRepo(g.conn)).swap(pairing_id, body["from_crew"], body["to_crew"])
    return jsonify(ok=True)
