"""Refill screen: ask our three wholesale suppliers in parallel whether a
veterinary product is in stock, so the pharmacist can pick who to order from.
"""
import logging
from concurrent.futures import ThreadPoolExecutor, wait

import requests
from flask import Blueprint, current_app, jsonify
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)
bp = Blueprint("refill_stock", __name__)

SUPPLIERS = {
    "covetrus": "https://api.covetrus.example/v3/stock/{ndc}",
    "patterson": "https://b2b.pattersonvet.example/stock?ndc={ndc}",
    "midwest": "https://edi.midwestvetsupply.example/api/availability/{ndc}",
}
CONNECT_READ = (2, 4)

# Shared for the life of the worker: pooled connections, I/O-bound fan-out only.
_session = requests.Session()
_session.mount("https://", HTTPAdapter(pool_connections=len(SUPPLIERS), pool_maxsize=16))
_io_pool = ThreadPoolExecutor(max_workers=12, thread_name_prefix="supplier-io")


def _query_supplier(name: str, ndc: str) -> dict:
    url = SUPPLIERS[name].format(ndc=ndc)
    token = current_app.config["SUPPLIER_TOKENS"][name]
    r = _session.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=CONNECT_READ)
    r.raise_for_status()
    body = r.json()
    return {"supplier": name, "in_stock": body.get("qty", 0) > 0, "qty": body.get("qty", 0),
            "eta_days": body.get("eta_days")}


@bp.get("/refills/stock/<ndc>")
def stock_for_product(ndc: str):
    app = current_app._get_current_object()

    def run(name):
        with app.app_context():
            return _query_supplier(name, ndc)

    futures = {_io_pool.submit(run, name): name for name in SUPPLIERS}
    done, not_done = wait(futures, timeout=6)
    results = []
    for fut in done:
        name = futures[fut]
        try:
            results.append(fut.result())
        except requests.RequestException as exc:
            log.warning("supplier %s lookup failed for %s: %s", name, ndc, exc)
            results.append({"supplier": name, "error": "unavailable"})
    for fut in not_done:
        fut.cancel()
        results.append({"supplier": futures[fut], "error": "timeout"})
    return jsonify(sorted(results, key=lambda r: r["supplier"]))
