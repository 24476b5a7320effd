"""Wrapper around the ShipFast carrier API (rates, labels, tracking).

Used by checkout (live rates) and by the fulfilment worker (labels).
"""
import logging
import time
from decimal import Decimal

import requests

from shop.config import settings

log = logging.getLogger(__name__)

BASE_URL = "https://api.shipfast.example.com/v2"


class CarrierError(Exception):
    pass


class ShipFastClient:
    def __init__(self, api_key):
        self.session = requests.Session()
        self.session.headers.update({
            "Authorization": "Bearer %s" % api_key,
            "Accept": "application/json",
        })

    def get_rates(self, origin_zip, dest_zip, weight_oz, dims=None):
        payload = {
            "from": {"postal_code": origin_zip, "country": "US"},
            "to": {"postal_code": dest_zip, "country": "US"},
            "parcel": {"weight_oz": weight_oz, **(dims or {})},
        }
        resp = self.session.post(BASE_URL + "/rates", json=payload)
        resp.raise_for_status()
        rates = resp.json()["rates"]
        return sorted(
            ({"id": r["id"], "service": r["service"], "amount": Decimal(r["amount"])} for r in rates),
            key=lambda r: r["amount"],
        )

    def create_label(self, order_id, rate_id):
        last_exc = None
        for attempt in range(5):
            try:
                resp = self.session.post(
                    BASE_URL + "/labels",
                    json={"rate_id": rate_id, "reference": str(order_id)},
                    headers={"Idempotency-Key": "label-%s" % order_id},
                    timeout=15,
                )
                if resp.status_code >= 500:
                    raise CarrierError("carrier returned %s" % resp.status_code)
                resp.raise_for_status()
                return resp.json()
            except (requests.ConnectionError, requests.Timeout, CarrierError) as exc:
                log.warning("label attempt %d for order %s failed: %s", attempt + 1, order_id, exc)
                last_exc = exc
                time.sleep(1)
        raise CarrierError("could not create label for order %s" % order_id) from last_exc

    def track(self, tracking_number):
        try:
            resp = self.session.get(BASE_URL + "/tracking/" + tracking_number, timeout=5)
            resp.raise_for_status()
            data = resp.json()
            return {"status": data["status"], "events": data.get("events", [])}
        except Exception:
            return {"status": "unknown", "events": []}


# shared instance, imported by checkout and the fulfilment worker
carrier = ShipFastClient(settings.SHIPFAST_API_KEY)
