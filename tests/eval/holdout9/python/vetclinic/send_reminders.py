#!/usr/bin/env python3
"""send_reminders.py — nightly cron on the clinic's single admin box.

Emails owners whose pets are due for a booster in the next 14 days.
Run: python send_reminders.py --clinic 12 [--dry-run]
"""
import argparse
import logging
import sys
from datetime import date, timedelta

import psycopg2
import psycopg2.extras
import requests

log = logging.getLogger("reminders")
MAILER_URL = "https://mail.internal.vetnet.example/v1/send"
PAGE = 500

# Template cache; this process lives for a few seconds, so a plain dict is fine.
_templates = {}


def template(session, name):
    if name not in _templates:
        r = session.get(f"https://cms.vetnet.example/templates/{name}", timeout=10)
        r.raise_for_status()
        _templates[name] = r.text
    return _templates[name]


def due_pets(cur, clinic_id, last_id):
    cur.execute(
        """
        SELECT p.id, p.name, o.email, v.due_on
          FROM pets p
          JOIN owners o ON o.id = p.owner_id
          JOIN vaccination_schedule v ON v.pet_id = p.id
         WHERE p.clinic_id = %s AND v.due_on BETWEEN %s AND %s AND p.id > %s
         ORDER BY p.id
         LIMIT %s
        """,
        (clinic_id, date.today(), date.today() + timedelta(days=14), last_id, PAGE),
    )
    return cur.fetchall()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clinic", type=int, required=True)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO)

    conn = psycopg2.connect(dsn="dbname=vet", connect_timeout=5)
    http = requests.Session()
    body_tpl = template(http, "booster-reminder")
    sent = 0
    last_id = 0
    with conn, conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
        while True:
            rows = due_pets(cur, args.clinic, last_id)
            if not rows:
                break
            batch = [
                {"to": row["email"], "body": body_tpl.format(pet=row["name"], due=row["due_on"])}
                for row in rows
            ]
            if args.dry_run:
                for m in batch:
                    print(m["to"], m["body"][:40])
            else:
                # one bulk call per page of 500, not one per owner
                try:
                    resp = http.post(MAILER_URL + "/bulk", json={"messages": batch}, timeout=(3, 30))
                    resp.raise_for_status()
                    sent += len(batch)
                except requests.RequestException:
                    log.exception("bulk send failed after pet id %s", last_id)
                    raise
            last_id = rows[-1]["id"]
    log.info("sent %d reminders", sent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
