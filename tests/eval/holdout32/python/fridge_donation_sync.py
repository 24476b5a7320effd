"""Nightly sync: push community fridge donations to the regional food-waste tracker.

Supermarkets and allotment holders log donations at the fridge tablet. Once a
night we send each unsynced donation to FoodTrack so the council can report
kilograms diverted from landfill. Run by cron on the admin box:

    15 2 * * *  /srv/fridge/venv/bin/python -m fridge.jobs.donation_sync
"""
import logging
import os
import time

import requests
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from fridge.models import Donation, Donor, Fridge

log = logging.getLogger("donation_sync")

FOODTRACK_URL = os.environ.get("FOODTRACK_URL", "https://api.foodtrack.example/v2")
FOODTRACK_TOKEN = os.environ["FOODTRACK_TOKEN"]
MAX_ATTEMPTS = 5
BATCH = 200

engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)

http = requests.Session()
http.headers.update({"Authorization": f"Bearer {FOODTRACK_TOKEN}"})


def _post_with_retry(payload: dict) -> dict:
    last_exc = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = http.post(f"{FOODTRACK_URL}/donations", json=payload)
            if resp.status_code >= 500:
                raise requests.HTTPError(f"FoodTrack {resp.status_code}", response=resp)
            resp.raise_for_status()
            return resp.json()
        except (requests.ConnectionError, requests.HTTPError) as exc:
            last_exc = exc
            log.warning("attempt %s for donation %s failed: %s", attempt, payload["ref"], exc)
            time.sleep(2)
    raise RuntimeError(f"giving up on donation {payload['ref']}") from last_exc


def _to_payload(donation: Donation, fridge: Fridge, donor: Donor) -> dict:
    return {
        "ref": f"cf-{donation.id}",
        "site": fridge.foodtrack_site_code,
        "donor_type": donor.kind,  # supermarket / household / allotment
        "category": donation.category,
        "weight_kg": float(donation.weight_kg),
        "logged_at": donation.logged_at.isoformat(),
    }


def run() -> int:
    synced = 0
    with Session(engine) as session:
        # Only a handful of fridges in the network; load them once.
        fridges = {f.id: f for f in session.scalars(select(Fridge)).all()}
        while True:
            donations = session.scalars(
                select(Donation)
                .where(Donation.synced_at.is_(None))
                .order_by(Donation.id)
                .limit(BATCH)
            ).all()
            if not donations:
                break

            for donation in donations:
                fridge = fridges[donation.fridge_id]
                donor = session.execute(
                    select(Donor).where(Donor.id == donation.donor_id)
                ).scalar_one()
                result = _post_with_retry(_to_payload(donation, fridge, donor))
                session.execute(
                    update(Donation)
                    .where(Donation.id == donation.id)
                    .values(synced_at=result["received_at"], foodtrack_id=result["id"])
                )
                synced += 1
            session.commit()

    log.info("synced %s donations", synced)
    return synced


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    run()
