# pickup/app.py -- recycling pickup routes API for municipal customers
# k8s: replicas: 3 (see chart/values.yaml); all shared state is in Postgres / Redis
import logging
import time
from datetime import date

import redis
from flask import Flask, abort, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.middleware.proxy_fix import ProxyFix

from pickup.auth import load_api_key

app = Flask(__name__)
app.config.from_prefixed_env()
# exactly one trusted hop (the ingress controller) sets X-Forwarded-For
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
db = SQLAlchemy(app)
rds = redis.Redis.from_url(app.config["REDIS_URL"], socket_timeout=1)
log = logging.getLogger(__name__)

RATE_LIMIT = 300  # requests per minute per API key


class Material(db.Model):          # global lookup table, same for every municipality
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(16), unique=True)
    label = db.Column(db.String(64))


class Route(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    municipality_id = db.Column(db.Integer, index=True, nullable=False)
    name = db.Column(db.String(80))
    weekday = db.Column(db.SmallInteger)


class Stop(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    municipality_id = db.Column(db.Integer, index=True, nullable=False)
    route_id = db.Column(db.Integer, db.ForeignKey("route.id"), index=True)
    seq = db.Column(db.Integer)
    address = db.Column(db.String(200))
    material_id = db.Column(db.Integer, db.ForeignKey("material.id"))
    last_collected_on = db.Column(db.Date)


@app.before_request
def authenticate_and_limit():
    key = load_api_key(request.headers.get("Authorization", ""))
    if key is None:
        abort(401)
    g.municipality_id = key.municipality_id
    bucket = f"rl:{key.id}:{int(time.time() // 60)}"
    pipe = rds.pipeline()
    pipe.incr(bucket)
    pipe.expire(bucket, 120)
    count, _ = pipe.execute()
    if count > RATE_LIMIT:
        log.info("rate limited key=%s ip=%s", key.id, request.remote_addr)
        abort(429)


def page_args():
    limit = min(int(request.args.get("limit", 50)), 200)
    after = int(request.args.get("after", 0))
    return limit, after


@app.get("/routes")
def list_routes():
    limit, after = page_args()
    routes = (Route.query.filter(Route.municipality_id == g.municipality_id, Route.id > after)
              .order_by(Route.id).limit(limit).all())
    return jsonify(items=[{"id": r.id, "name": r.name, "weekday": r.weekday} for r in routes],
                   next=routes[-1].id if len(routes) == limit else None)


@app.get("/routes/<int:route_id>/stops")
def route_stops(route_id):
    route = Route.query.filter_by(id=route_id, municipality_id=g.municipality_id).first_or_404()
    limit, after = page_args()
    rows = (db.session.query(Stop, Material)
            .join(Material, Material.id == Stop.material_id)
            .filter(Stop.route_id == route.id, Stop.municipality_id == g.municipality_id,
                    Stop.seq > after)
            .order_by(Stop.seq).limit(limit).all())
    return jsonify(route=route.name, items=[
        {"id": s.id, "seq": s.seq, "address": s.address, "material": m.label,
         "last_collected_on": s.last_collected_on and s.last_collected_on.isoformat()}
        for s, m in rows
    ])


@app.post("/stops/<int:stop_id>/collected")
def mark_collected(stop_id):
    n = (Stop.query.filter_by(id=stop_id, municipality_id=g.municipality_id)
         .update({"last_collected_on": date.today()}))
    db.session.commit()
    if n == 0:
        abort(404)
    return "", 204


@app.get("/materials/<int:material_id>")
def material(material_id):
    m = db.session.get(Material, material_id) or abort(404)
    return jsonify(id=m.id, code=m.code, label=m.label)
