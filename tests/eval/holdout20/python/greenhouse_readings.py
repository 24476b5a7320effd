from datetime import datetime, timezone

from flask import Blueprint, abort, g, jsonify, request

from ..extensions import db
from ..models import Greenhouse, Reading, Sensor
from ..auth import login_required

bp = Blueprint("readings", __name__, url_prefix="/api")

MAX_BATCH = 500


def _own_greenhouse(gh_id: int) -> Greenhouse:
    """Growers only ever see greenhouses that belong to their organisation."""
    return Greenhouse.query.filter_by(id=gh_id, org_id=g.org.id).first_or_404()


@bp.post("/greenhouses/<int:gh_id>/readings")
@login_required
def ingest_readings(gh_id):
    """Gateways push batches of readings every minute."""
    gh = _own_greenhouse(gh_id)
    payload = request.get_json(silent=True) or {}
    batch = payload.get("readings", [])
    if not batch or len(batch) > MAX_BATCH:
        abort(400, "readings must hold 1..500 items")

    known = {
        s.hw_address: s.id
        for s in Sensor.query.filter_by(greenhouse_id=gh.id, active=True)
    }
    rows = []
    for item in batch:
        sensor_id = known.get(item.get("hw"))
        if sensor_id is None:
            continue
        rows.append(
            {
                "sensor_id": sensor_id,
                "recorded_at": datetime.fromtimestamp(item["ts"], tz=timezone.utc),
                "temp_c": item.get("t"),
                "humidity_pct": item.get("h"),
                "soil_moisture": item.get("m"),
                "lux": item.get("l"),
            }
        )
    db.session.bulk_insert_mappings(Reading, rows)
    db.session.commit()
    return jsonify({"stored": len(rows)}), 201


@bp.get("/greenhouses/<int:gh_id>/sensors/latest")
@login_required
def latest_readings(gh_id):
    """Tile view on the grower dashboard: last value of each sensor."""
    gh = _own_greenhouse(gh_id)
    sensors = (
        Sensor.query.filter_by(greenhouse_id=gh.id, active=True)
        .order_by(Sensor.bench, Sensor.label)
        .all()
    )
    tiles = []
    for sensor in sensors:
        last = (
            Reading.query.filter_by(sensor_id=sensor.id)
            .order_by(Reading.recorded_at.desc())
            .first()
        )
        tiles.append(
            {
                "sensor": sensor.label,
                "bench": sensor.bench,
                "recorded_at": last.recorded_at.isoformat() if last else None,
                "temp_c": last.temp_c if last else None,
                "humidity_pct": last.humidity_pct if last else None,
                "soil_moisture": last.soil_moisture if last else None,
            }
        )
    return jsonify({"greenhouse": gh.name, "tiles": tiles})


@bp.get("/greenhouses/<int:gh_id>/readings/export")
@login_required
def export_readings(gh_id):
    """CSV-ish JSON export used by the agronomist's spreadsheet."""
    gh = _own_greenhouse(gh_id)
    readings = (
        db.session.query(Reading, Sensor.label)
        .join(Sensor, Sensor.id == Reading.sensor_id)
        .filter(Sensor.greenhouse_id == gh.id)
        .order_by(Reading.recorded_at)
        .all()
    )
    return jsonify(
        [
            {
                "sensor": label,
                "ts": r.recorded_at.isoformat(),
                "temp_c": r.temp_c,
                "humidity_pct": r.humidity_pct,
                "soil_moisture": r.soil_moisture,
                "lux": r.lux,
            }
            for r, label in readings
        ]
    )
