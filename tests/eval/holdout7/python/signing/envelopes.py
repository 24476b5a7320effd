# signing/envelopes.py -- envelope + signer link endpoints
import hashlib
import logging
import os
import secrets
import time
from datetime import datetime, timedelta, timezone

import psycopg2
import psycopg2.extras
import requests
from fastapi import FastAPI, HTTPException, UploadFile, Form

app = FastAPI()
log = logging.getLogger("signing")

DSN = os.environ["SIGNING_DSN"]
TSA_URL = os.environ.get("TSA_URL", "https://tsa.example-trust.eu/api/timestamp")
LINK_TTL = timedelta(days=7)


def db():
    return psycopg2.connect(DSN, cursor_factory=psycopg2.extras.RealDictCursor)


def timestamp_digest(digest: str) -> str:
    # the TSA is flaky under load, keep trying until it answers
    while True:
        try:
            r = requests.post(TSA_URL, json={"sha256": digest}, timeout=10)
            if r.status_code == 200:
                return r.json()["token"]
        except requests.RequestException as exc:
            log.warning("TSA request failed: %s", exc)
        time.sleep(2)


@app.post("/envelopes")
def create_envelope(file: UploadFile, title: str = Form(...), signer_emails: str = Form(...)):
    pdf = file.file.read()
    digest = hashlib.sha256(pdf).hexdigest()
    tsa_token = timestamp_digest(digest)

    conn = db()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO envelopes (title, sha256, tsa_token, status, created_at) "
                "VALUES (%s, %s, %s, 'sent', now()) RETURNING id",
                (title, digest, tsa_token),
            )
            envelope_id = cur.fetchone()["id"]
            cur.execute("INSERT INTO documents (envelope_id, pdf) VALUES (%s, %s)",
                        (envelope_id, psycopg2.Binary(pdf)))
            links = []
            for email in [e.strip() for e in signer_emails.split(",") if e.strip()]:
                token = secrets.token_urlsafe(32)
                links.append((envelope_id, email, token, datetime.now(timezone.utc) + LINK_TTL))
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO signing_links (envelope_id, signer_email, token, expires_at) VALUES %s",
                links,
            )
    finally:
        conn.close()
    return {"envelope_id": envelope_id, "signers": len(links)}


@app.get("/sign/{token}")
def open_signing_link(token: str):
    conn = db()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT l.envelope_id, l.signer_email, e.title FROM signing_links l "
                "JOIN envelopes e ON e.id = l.envelope_id "
                "WHERE l.token = %s AND l.expires_at > now() AND l.signed_at IS NULL",
                (token,),
            )
            row = cur.fetchone()
    finally:
        conn.close()
    if row is None:
        raise HTTPException(404, "This signing link is invalid or has expired")
    return row
