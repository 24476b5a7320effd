# lockers/api.py -- smart-locker pickup for the laundromat chain
# k8s Deployment "locker-api", replicas: 3, behind the ingress-nginx controller.
import secrets
import time
from collections import defaultdict, deque

import psycopg2.pool
from flask import Flask, abort, jsonify, request

from lockers.config import DATABASE_URL
from lockers.hardware import open_locker  # MQTT publish to the store controller

app = Flask(__name__)
pool = psycopg2.pool.ThreadedConnectionPool(2, 10, DATABASE_URL)

MAX_ATTEMPTS = 5          # code guesses per IP
WINDOW_S = 300
_attempts = defaultdict(deque)   # ip -> timestamps of recent failed attempts


def _client_ip():
    fwd = request.headers.get("X-Forwarded-For", "")
    return fwd.split(",")[0].strip() if fwd else request.remote_addr


def _too_many(ip):
    q = _attempts[ip]
    now = time.time()
    while q and q[0] < now - WINDOW_S:
        q.popleft()
    return len(q) >= MAX_ATTEMPTS


def _db():
    return pool.getconn()


@app.post("/stores/<int:store_id>/lockers/<int:locker_no>/reserve")
def reserve(store_id, locker_no):
    order_id = request.json["order_id"]
    conn = _db()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                """UPDATE lockers SET order_id = %s, state = 'loading'
                    WHERE store_id = %s AND locker_no = %s AND state = 'free'
                RETURNING id""",
                (order_id, store_id, locker_no))
            row = cur.fetchone()
            if row is None:
                abort(409, "locker not free")
            code = f"{secrets.randbelow(10**6):06d}"
            cur.execute(
                "INSERT INTO pickup_codes (locker_id, order_id, code, expires_at) "
                "VALUES (%s, %s, %s, now() + interval '48 hours')",
                (row[0], order_id, code))
    finally:
        pool.putconn(conn)
    return jsonify(locker_no=locker_no, pickup_code=code), 201


@app.post("/stores/<int:store_id>/lockers/<int:locker_no>/open")
def open_with_code(store_id, locker_no):
    ip = _client_ip()
    if _too_many(ip):
        abort(429)
    code = str(request.json.get("code", ""))
    conn = _db()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                """UPDATE pickup_codes pc SET used_at = now()
                     FROM lockers l
                    WHERE pc.locker_id = l.id AND l.store_id = %s AND l.locker_no = %s
                      AND pc.code = %s AND pc.used_at IS NULL AND pc.expires_at > now()
                RETURNING l.id""",
                (store_id, locker_no, code))
            row = cur.fetchone()
            if row is None:
                _attempts[ip].append(time.time())
                abort(403, "wrong or expired code")
            cur.execute("UPDATE lockers SET state = 'free', order_id = NULL WHERE id = %s", (row[0],))
    finally:
        pool.putconn(conn)
    open_locker(store_id, locker_no)
    return jsonify(opened=True)
