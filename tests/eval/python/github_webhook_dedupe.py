"""GitHub App webhook receiver: every delivery is processed once."""
import hashlib
import hmac
import os

from flask import Flask, abort, request
from psycopg2.errors import UniqueViolation
from psycopg2.pool import ThreadedConnectionPool

app = Flask(__name__)
pool = ThreadedConnectionPool(2, 20, dsn=os.environ["DATABASE_URL"])
SECRET = os.environ["GITHUB_WEBHOOK_SECRET"].encode()


def verify(body: bytes, signature: str) -> bool:
    digest = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, signature or "")


@app.post("/github/events")
def github_events():
    body = request.get_data()
    if not verify(body, request.headers.get("X-Hub-Signature-256")):
        abort(401)
    delivery_id = request.headers["X-GitHub-Delivery"]
    event = request.headers["X-GitHub-Event"]
    payload = request.get_json()

    conn = pool.getconn()
    try:
        with conn, conn.cursor() as cur:
            try:
                cur.execute(
                    "INSERT INTO webhook_deliveries (delivery_id, event) VALUES (%s, %s)",
                    (delivery_id, event),
                )
            except UniqueViolation:
                return "", 200  # already processed
            if event == "push":
                cur.execute(
                    "INSERT INTO builds (repo, sha, status) VALUES (%s, %s, 'queued')",
                    (payload["repository"]["full_name"], payload["after"]),
                )
    finally:
        pool.putconn(conn)
    return "", 202
