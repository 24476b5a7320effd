#!/usr/bin/env python3
"""Build the quarterly bell-ringing rota for St Michael's tower and email it out.

    usage: bell_rota.py ringers.csv services.csv --quarter 2025Q1 [--send]

Run by the tower captain on her laptop once a quarter; ~30 ringers, ~40 services.
"""
import argparse
import csv
import logging
import random
import smtplib
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from email.message import EmailMessage
from functools import lru_cache

import requests

log = logging.getLogger("rota")
DIOCESE_CAL = "https://calendar.diocese.example/api/events"
BELLS_NEEDED = 8


@lru_cache(maxsize=64)
def method_for(service_kind: str) -> str:
    return {"sung_eucharist": "Grandsire Triples", "evensong": "Plain Bob Major",
            "wedding": "Stedman Triples"}.get(service_kind, "Rounds and call changes")


def load(ringers_csv, services_csv):
    unavailable = defaultdict(set)          # ringer -> {dates}
    ringers = {}
    with open(ringers_csv) as f:
        for row in csv.DictReader(f):
            ringers[row["name"]] = row["email"]
            for d in filter(None, row["away"].split(";")):
                unavailable[row["name"]].add(d.strip())
    with open(services_csv) as f:
        services = list(csv.DictReader(f))
    return ringers, unavailable, services


def build_rota(ringers, unavailable, services):
    served = defaultdict(int)
    rota = []
    for svc in sorted(services, key=lambda s: s["date"]):
        free = [r for r in ringers if svc["date"] not in unavailable[r]]
        free.sort(key=lambda r: (served[r], random.random()))  # fewest turns first
        band = free[:BELLS_NEEDED]
        for r in band:
            served[r] += 1
        rota.append({**svc, "band": band, "method": method_for(svc["kind"])})
    return rota


def push_to_calendar(http, entry, max_attempts=5):
    for attempt in range(1, max_attempts + 1):
        try:
            r = http.post(DIOCESE_CAL, json={"title": f"Ringing: {entry['kind']}", "date": entry["date"],
                                             "notes": ", ".join(entry["band"])}, timeout=10)
            if r.status_code < 500:
                r.raise_for_status()
                return r.json()["id"]
            log.warning("calendar %s on attempt %d", r.status_code, attempt)
        except (requests.ConnectionError, requests.Timeout) as exc:
            log.warning("calendar unreachable (attempt %d): %s", attempt, exc)
        if attempt == max_attempts:
            raise RuntimeError(f"could not publish {entry['date']} after {max_attempts} attempts")
        time.sleep(min(30.0, 2 ** attempt) * random.uniform(0.5, 1.0))


def email_ringer(name, addr, duties, smtp_host):
    msg = EmailMessage()
    msg["Subject"] = "Your ringing rota for the quarter"
    msg["From"] = "tower.captain@stmichaels.example"
    msg["To"] = addr
    msg.set_content(f"Dear {name},\n\n" + "\n".join(f"{d['date']}  {d['kind']}  ({d['method']})" for d in duties))
    with smtplib.SMTP_SSL(smtp_host, timeout=20) as s:
        s.send_message(msg)
    return name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ringers"), ap.add_argument("services")
    ap.add_argument("--quarter", required=True)
    ap.add_argument("--send", action="store_true")
    ap.add_argument("--smtp", default="smtp.fastmail.com")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO)

    ringers, unavailable, services = load(args.ringers, args.services)
    rota = build_rota(ringers, unavailable, services)
    for e in rota:
        print(f"{e['date']}  {e['kind']:<15} {e['method']:<22} {', '.join(e['band'])}")
    if not args.send:
        return

    with requests.Session() as http:
        for e in rota:
            push_to_calendar(http, e)

    # sending mail is network-bound, so a few threads are fine here
    with ThreadPoolExecutor(max_workers=4) as pool:
        futs = [pool.submit(email_ringer, name, addr, [e for e in rota if name in e["band"]], args.smtp)
                for name, addr in ringers.items()]
        for f in as_completed(futs):
            log.info("sent rota to %s", f.result())


if __name__ == "__main__":
    main()
