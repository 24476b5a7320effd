#!/usr/bin/env python3
# push finished ride-along observer reports to the county records API
# cron: */15 * * * *  /opt/ridealong/venv/bin/python /opt/ridealong/report_uploader.py
import json
import os
import sqlite3
import sys
import time

import requests

API = os.environ.get("RECORDS_API", "https://records.county.example/api/v2")
TOKEN = os.environ["RECORDS_TOKEN"]
DB = os.environ.get("RIDEALONG_DB", "/var/lib/ridealong/reports.db")


def post_report(rep):
    while True:
        try:
            r = requests.post(API + "/ridealong-reports", json=rep,
                              headers={"Authorization": "Bearer " + TOKEN})
        except requests.ConnectionError as e:
            print("records api unreachable, retrying: %s" % e, file=sys.stderr)
            time.sleep(2)
            continue
        if r.status_code >= 500 or r.status_code == 429:
            time.sleep(2)
            continue
        return r


def mark_sent(conn, report_id, remote_id):
    conn.execute("UPDATE reports SET sent_at = datetime('now'), remote_id = ? WHERE id = ?",
                 (remote_id, report_id))
    conn.commit()


def main():
    conn = sqlite3.connect(DB)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        "SELECT id, officer_badge, observer_name, shift_date, payload FROM reports "
        "WHERE sent_at IS NULL AND status = 'final' ORDER BY id LIMIT 200").fetchall()
    sent = 0
    for row in rows:
        try:
            rep = json.loads(row["payload"])
            rep.update(badge=row["officer_badge"], observer=row["observer_name"],
                       shift_date=row["shift_date"])
            r = post_report(rep)
            r.raise_for_status()
            mark_sent(conn, row["id"], r.json()["id"])
            sent += 1
        except Exception:
            continue
    print("uploaded %d/%d reports" % (sent, len(rows)))
    conn.close()


if __name__ == "__main__":
    main()
