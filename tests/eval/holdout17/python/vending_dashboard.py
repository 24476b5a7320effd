# vending ops: machine callbacks + ops wall dashboard
# prod: gunicorn -w 4 vending_dashboard:app  (behind the ELB)
# ops wall screens auto-refresh /dashboard/summary every 30s
import ipaddress
import os

import requests
from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
eng = create_engine(os.environ["DB_URL"], pool_size=5, max_overflow=5, pool_pre_ping=True)

TELEMETRY = "https://api.vendtrack.example.com/v3"
KEY = os.environ["VENDTRACK_KEY"]
MACHINE_NETS = [ipaddress.ip_network(n) for n in os.environ.get("MACHINE_NETS", "10.40.0.0/16").split(",")]


def from_machine_net():
    ip = request.headers.get("X-Forwarded-For", request.remote_addr).split(",")[0].strip()
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(addr in n for n in MACHINE_NETS)


@app.route("/machines/<int:mid>/sale", methods=["POST"])
def sale(mid):
    if not from_machine_net():
        abort(403)
    d = request.get_json(force=True)
    with eng.begin() as c:
        c.execute(text("insert into vend_events (machine_id, slot, product_id, price_cents, sold_at) "
                       "values (:m, :s, :p, :c, now())"),
                  {"m": mid, "s": d["slot"], "p": d["product_id"], "c": d["price_cents"]})
        c.execute(text("update slots set qty = qty - 1 where machine_id = :m and slot = :s and qty > 0"),
                  {"m": mid, "s": d["slot"]})
    return "", 204


@app.route("/dashboard/summary")
def summary():
    with eng.connect() as c:
        rows = c.execute(text("""
            select m.region, m.id as machine_id, m.site_name,
                   count(*) as sales, sum(e.price_cents) as revenue_cents,
                   max(e.sold_at) as last_sale
              from vend_events e
              join machines m on m.id = e.machine_id
             where e.sold_at >= date_trunc('month', now())
             group by m.region, m.id, m.site_name
             order by revenue_cents desc
        """)).mappings().all()
    return jsonify([dict(r) for r in rows])


@app.route("/dashboard/low-stock")
def low_stock():
    with eng.connect() as c:
        res = c.execute(text("select machine_id, slot, qty from slots where qty <= 2 "
                             "order by qty, machine_id limit 200")).mappings().all()
    return jsonify([dict(r) for r in res])


@app.route("/machines/<int:mid>/live")
def live(mid):
    r = requests.get(f"{TELEMETRY}/machines/{mid}/status", headers={"X-Api-Key": KEY})
    if r.status_code == 404:
        abort(404)
    r.raise_for_status()
    j = r.json()
    return jsonify(temp_c=j.get("temperature"), door_open=j.get("door"), coins=j.get("coin_level"))
