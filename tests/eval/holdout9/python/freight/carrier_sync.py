# freight/tasks/carrier_sync.py
# celery worker -A freight -Q carriers -c 8
import time
import logging

import requests
from celery import shared_task
from django.db import transaction

from freight.models import Load, CarrierQuote

logger = logging.getLogger(__name__)

DAT_API = "https://api.loadboard.example.com/v2"


def fetch_rates(origin, dest, equipment):
    attempts = 0
    while True:
        try:
            r = requests.post(
                f"{DAT_API}/rates/lookup",
                json={"origin": origin, "destination": dest, "equipment": equipment},
                headers={"Authorization": "Bearer " + settings_token()},
            )
            r.raise_for_status()
            return r.json()
        except requests.RequestException:
            attempts += 1
            time.sleep(2)


def settings_token():
    from django.conf import settings
    return settings.DAT_TOKEN


@shared_task
def refresh_quotes_for_load(load_id):
    load = Load.objects.get(pk=load_id)
    rates = fetch_rates(load.origin_zip, load.dest_zip, load.equipment)
    with transaction.atomic():
        CarrierQuote.objects.filter(load=load, source="dat").delete()
        CarrierQuote.objects.bulk_create(
            [
                CarrierQuote(load=load, source="dat", carrier_mc=r["mc"], rate_cents=r["rate_cents"])
                for r in rates.get("results", [])
            ]
        )


@shared_task
def post_load_to_board(load_id):
    load = Load.objects.get(pk=load_id)
    try:
        resp = requests.post(
            f"{DAT_API}/postings",
            json={"ref": load.reference, "origin": load.origin_zip, "dest": load.dest_zip},
            timeout=15,
        )
        resp.raise_for_status()
        load.board_posting_id = resp.json()["id"]
        load.save(update_fields=["board_posting_id"])
    except Exception:
        return None
